# benchlib.py - helpers shared by the bench scripts (prepare, make-queries,
# run-bench, eval, peers).  Standard library only; the xapian module is
# imported lazily by the scripts that need it.  Always run under Debian's
# /usr/bin/python3 (the only interpreter with python3-xapian).
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def _corpora():
    """The shared corpora, read in place: $CORPORA, else ../shared/corpora
    beside the repository (as CI lays it out), else /work/shared/corpora."""
    if os.environ.get("CORPORA"):
        return os.environ["CORPORA"]
    beside = os.path.join(os.path.dirname(REPO), "shared", "corpora")
    return beside if os.path.isdir(beside) else "/work/shared/corpora"


CORPORA = _corpora()


def bench_dir():
    """Scratch folder for everything the bench generates (never the repo)."""
    return os.path.abspath(os.environ.get("BENCH_DIR") or "/tmp/tsearch-bench")


def tsearch_bin():
    """Path of the tsearch binary, or None when it is not built (yet) or
    TSEARCH=none (measure the peers only)."""
    p = os.environ.get("TSEARCH") or os.path.join(REPO, "tsearch")
    if p == "none":
        return None
    p = os.path.abspath(p)
    if os.path.isfile(p) and os.access(p, os.X_OK):
        return p
    return None


def tsearch_note():
    """Why tsearch is not measured (when tsearch_bin() is None)."""
    p = os.environ.get("TSEARCH") or os.path.join(REPO, "tsearch")
    if p == "none":
        return "not measured (TSEARCH=none)"
    return "not built (%s missing): skipped" % p


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


def die(msg):
    sys.stderr.write("bench: error: %s\n" % msg)
    sys.exit(1)


# ---- stamps: a generated tree is complete only when its stamp exists ----

def stamped(path, version):
    """True when PATH/.stamp exists and holds VERSION."""
    try:
        with open(os.path.join(path, ".stamp")) as f:
            return f.read().strip() == version
    except OSError:
        return False


def write_stamp(path, version):
    with open(os.path.join(path, ".stamp"), "w") as f:
        f.write(version + "\n")


def fresh_dir(path):
    """Remove PATH if it exists and create it empty."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.unlink(path)
    os.makedirs(path)


def list_files(top):
    """Every regular file under TOP (sorted, stamp excluded)."""
    out = []
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            if f != ".stamp":
                out.append(os.path.join(d, f))
    return out


def tree_bytes(top):
    return sum(os.path.getsize(f) for f in list_files(top))


def disk_usage(path):
    """Bytes on disk of a file or a directory tree (apparent size)."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total


def warm_tree(top):
    """Read every file of TOP so that the page cache holds it (omindex evicts
    the files it reads with posix_fadvise: re-read before each timed run)."""
    subprocess.run("find '%s' -type f -exec cat {} + > /dev/null" % top,
                   shell=True, check=True)


def timed(cmd, **kw):
    """Run CMD under /usr/bin/time; return (seconds, peak_rss_kb, returncode).
    Output of CMD is discarded unless stdout/stderr are given in KW."""
    tf = os.path.join(bench_dir(), ".time.out")
    full = ["/usr/bin/time", "-o", tf, "-f", "%e %M"] + list(cmd)
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.DEVNULL)
    t0 = time.perf_counter()
    rc = subprocess.run(full, **kw).returncode
    wall = time.perf_counter() - t0
    rss = 0
    try:
        with open(tf) as f:
            lines = f.read().split("\n")
        for ln in lines:  # time prints "Command exited..." first on failure
            parts = ln.split()
            if len(parts) == 2 and re.match(r"^[0-9.]+$", parts[0]):
                rss = int(parts[1])
    except OSError:
        pass
    return wall, rss, rc


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    if n == 0:
        return None
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2.0


def percentile(xs, p):
    """Nearest-rank percentile (p in 0..100)."""
    xs = sorted(xs)
    if not xs:
        return None
    k = max(1, int(-(-p * len(xs) // 100)))  # ceil(p*n/100)
    return xs[min(k, len(xs)) - 1]


def machine_info():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    uname = subprocess.run(["uname", "-a"], capture_output=True,
                           text=True).stdout.strip()
    return {"uname": uname, "nproc": os.cpu_count(), "cpu": cpu}


def read_article(path):
    """(title, body) of a one-article text file: line 1 is the title."""
    with open(path, "rb") as f:
        data = f.read().decode("utf-8", "replace")
    title, _, body = data.partition("\n")
    return title.strip(), body.strip()


# A small English stop list (for query generation only: no engine in the
# bench uses a stopper).
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down
during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself
no nor not now of off on once only or other our ours ourselves out over own
per said same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up
upon very was we were what when where which while who whom why will with
would you your yours yourself yourselves reuter reuters mln dlrs pct its
near also would one two three new may might must shall us
""".split())

WORD_RE = re.compile(r"[a-z]+")


RESULTS_HEAD = """# tsearch bench results

Appended by `make bench` (bench/run-bench) and `make eval` (bench/eval), newest
last.  Compare ratios measured side by side in one run; absolute figures drift
between runs and machines.  How each figure is measured: bench/README.md.

"""


def append_results(text):
    """Append TEXT to bench/RESULTS.md (created with a heading if absent)."""
    path = os.path.join(HERE, "RESULTS.md")
    new = not os.path.exists(path)
    with open(path, "a") as f:
        if new:
            f.write(RESULTS_HEAD)
        f.write(text)
