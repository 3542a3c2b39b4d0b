"""Loading libpostlint.so from Python test scripts, sanitizer builds included.

A library built with AddressSanitizer or ThreadSanitizer needs its runtime loaded before
anything else, which only a new process can arrange (LD_PRELOAD). Scripts that load the library
through ctypes do it in a child process started with child_env().

    env = child_env(library, os.environ)
    subprocess.run([sys.executable, __file__, "--c-api", library], env=env)
"""
import subprocess


def sanitizer_runtime(library):
    """The sanitizer runtime `library` links (ASan or TSan), or None."""
    try:
        out = subprocess.run(["ldd", library], capture_output=True, text=True).stdout
    except OSError:
        return None
    for line in out.splitlines():
        parts = line.split()
        if parts and (parts[0].startswith("libasan.") or parts[0].startswith("libtsan.")):
            return parts[2] if len(parts) > 2 and parts[1] == "=>" else None
    return None


def child_env(library, env):
    """`env` for a Python process that loads `library`: its sanitizer runtime preloaded, and the
    interpreter's own allocations (not ours to report) kept out of leak reports."""
    result = dict(env)
    runtime = sanitizer_runtime(library)
    if runtime:
        result["LD_PRELOAD"] = runtime
        result["ASAN_OPTIONS"] = "detect_leaks=0"
    return result
