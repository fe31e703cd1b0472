"""A single-server queue written as three explicit rules (Methods lesson, family 2).

The same rules, with the same random numbers, as ``synthlearn.demos.simulate``;
the test suite checks that both give identical event tables.
Run it with ``python pysrc/examples/queue_rules.py``.
"""

import numpy as np

gen = np.random.default_rng(42)
n = 5000              # customers
arrival_rate = 0.8    # customers per minute; service takes 1 minute on average

# --8<-- [start:rules]
# Rule 1: customers arrive at random, on average `arrival_rate` per minute
#         (exponential gaps between arrivals: a Poisson process).
arrival = np.cumsum(gen.exponential(1 / arrival_rate, n))
# Rule 2: each customer needs a random service time (exponential, mean 1 minute).
service = gen.exponential(1.0, n)
# Rule 3: one server, first come first served: a customer starts when they
#         have arrived AND the previous customer has left.
start = np.empty(n)
server_free_at = 0.0
for k in range(n):
    start[k] = max(arrival[k], server_free_at)
    server_free_at = start[k] + service[k]
wait = start - arrival   # the synthetic data: one waiting time per customer
# --8<-- [end:rules]

if __name__ == "__main__":
    rho = arrival_rate * 1.0
    print(f"simulated mean wait: {wait.mean():.2f} min; M/M/1 theory rho/(mu - lambda): {rho / (1 - arrival_rate):.2f} min")
