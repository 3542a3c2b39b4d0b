"""Loading libpostlint.so from Python test scripts, sanitizer builds included.

A library built with AddressSanitizer or ThreadSanitizer needs its runtime loaded before
anything else, which only a new process can arrange (LD_PRELOAD). Scripts that load the library
through ctypes do it in a child process started with child_env().

    env = child_env(library, os.environ)
    subprocess.run([sys.executable, __file__, "--c-api", library], env=env)
"""
import subprocess


def _linked(library):
    """{soname prefix: path} of what `library` links, from ldd."""
    try:
        out = subprocess.run(["ldd", library], capture_output=True, text=True).stdout
    except OSError:
        return {}
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) > 2 and parts[1] == "=>":
            found[parts[0].split(".so")[0]] = parts[2]
    return found


def child_env(library, env):
    """`env` for a Python process that loads `library`: its sanitizer runtime preloaded, with
    the C++ runtime right after it (the sanitizer intercepts exceptions and must find the real
    __cxa_throw at start-up, before ctypes loads libstdc++), and the interpreter's own
    allocations (not ours to report) kept out of leak reports."""
    result = dict(env)
    linked = _linked(library)
    runtime = linked.get("libasan") or linked.get("libtsan")
    if runtime:
        preload = [runtime]
        if linked.get("libstdc++"):
            preload.append(linked["libstdc++"])
        result["LD_PRELOAD"] = " ".join(preload)
        result["ASAN_OPTIONS"] = "detect_leaks=0"
    return result
