#!/usr/bin/env python3
"""Which BLAS PyTorch computes with: PyTorch's build line, then the BLAS libraries this process
has mapped after a matrix product and, for OpenBLAS, its configuration and the kernel it chose.
Exits with status 1 when the mapped BLAS is not OpenBLAS (Debian's python3-torch then runs on
the reference BLAS, several times slower: install libopenblas0-pthread)."""
import ctypes
import re
import sys

import torch


def mapped_blas_libraries():
    with open("/proc/self/maps") as maps:
        return sorted({line.split()[-1] for line in maps if re.search(r"/lib(open)?blas[^/]*\.so", line)})


def main():
    build = re.search(r"BLAS_INFO=[^,]*", torch.__config__.show())
    print(f"PyTorch {torch.__version__}, {build.group(0) if build else 'BLAS_INFO unknown'}")
    torch.ones(64, 64) @ torch.ones(64, 64)  # makes sure the BLAS is loaded and initialized
    libraries = mapped_blas_libraries()
    print("BLAS mapped:", " ".join(libraries) or "none")
    openblas = [path for path in libraries if "openblas" in path]
    if not openblas:
        print("PyTorch does not run on OpenBLAS; install libopenblas0-pthread", file=sys.stderr)
        sys.exit(1)
    library = ctypes.CDLL(openblas[0])
    library.openblas_get_config.restype = ctypes.c_char_p
    library.openblas_get_corename.restype = ctypes.c_char_p
    print(f"OpenBLAS: {library.openblas_get_config().decode()}, kernel {library.openblas_get_corename().decode()}")


if __name__ == "__main__":
    main()
