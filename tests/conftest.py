"""Shared test setup. One BLAS thread: on a shared 2-core machine threaded BLAS is slower
and makes timings noisy; results do not depend on it."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
