"""Front ends over the library: the command line (``cli``), the Generator page's backend
(``studio``) and the browser worker's entry point (``bridge``)."""
