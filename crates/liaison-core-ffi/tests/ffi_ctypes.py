"""Calls liaison-core-ffi through ctypes, as any non-Rust caller would, and prints what it got as one JSON
object on standard output: tests/ffi.rs compares it with the Rust results.

usage: python3 ffi_ctypes.py PATH/TO/libliaison_core_ffi.so REQUESTS.json
REQUESTS.json: {"deadline": [request, ...], "verify_draw": [record, ...], "protection": [request, ...]}
"""
import ctypes
import json
import sys

lib = ctypes.CDLL(sys.argv[1])
for name in ("liaison_deadline", "liaison_verify_draw", "liaison_protection"):
    fn = getattr(lib, name)
    fn.argtypes = [ctypes.c_char_p]
    fn.restype = ctypes.c_void_p  # a pointer we must give back to liaison_free, not a copied bytes object
lib.liaison_free.argtypes = [ctypes.c_void_p]
lib.liaison_free.restype = None


def call(fn, text):
    arg = None if text is None else text.encode("utf-8")
    ptr = fn(arg)
    try:
        return json.loads(ctypes.string_at(ptr).decode("utf-8"))
    finally:
        lib.liaison_free(ptr)


with open(sys.argv[2], encoding="utf-8") as f:
    requests = json.load(f)
out = {
    "deadline": [call(lib.liaison_deadline, r) for r in requests["deadline"]],
    "verify_draw": [call(lib.liaison_verify_draw, r) for r in requests["verify_draw"]],
    "protection": [call(lib.liaison_protection, r) for r in requests["protection"]],
    "null": call(lib.liaison_protection, None),
}
json.dump(out, sys.stdout, ensure_ascii=False)
