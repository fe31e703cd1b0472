"""Front ends over the library: the command line (``cli``), the Generator page's backend
(``studio``), the browser worker's entry point (``bridge``) and its streaming calls for
training widgets (``streaming``)."""
