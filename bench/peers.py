#!/usr/bin/python3
"""peers.py - the two peer engines driven from Python (Debian's
/usr/bin/python3: it alone has python3-xapian).

  peers.py xapian-index DIR DB         TermGenerator over every file of DIR
                                       (English stemmer, STEM_SOME, positions),
                                       document data = path + full text
  peers.py fts5-index DIR DB           SQLite FTS5 table t(title, body, path
                                       UNINDEXED), tokenize='porter unicode61',
                                       one row per file, one transaction
  peers.py xapian-run DB QUERIES OUT [-n N]   TREC run (relevance eval):
  peers.py fts5-run   DB QUERIES OUT [-n N]   natural-language queries
  peers.py xapian-batch DB QUERIES [--snippets] [--out FILE]   throughput:
  peers.py fts5-batch   DB QUERIES [--snippets] [--out FILE]   prints q/s

QUERIES is a file of ID<TAB>QUERY lines.  Batch modes write one JSON line
per query (hits, and snippets with --snippets) to --out (default
/dev/null) and print 'queries N seconds S qps Q' on stdout; S covers the
query loop only (index opened before the clock starts).
"""
import json
import os
import re
import sqlite3
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402

SNIPPET_BYTES = 200   # Xapian snippet length (bytes of text to aim for)
FTS5_SNIPPET_TOKENS = 32  # FTS5 snippet() length in tokens (max 64)


def docno_of(path):
    """Collection doc id of a file: basename without extension."""
    return os.path.splitext(os.path.basename(path))[0]


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if not ln:
                continue
            qid, _, q = ln.partition("\t")
            out.append((qid, q))
    return out


# ------------------------------------------------------------------ Xapian

def xapian_index(src, db_path):
    import xapian
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))   # strategy: STEM_SOME (default)
    n = 0
    db.begin_transaction(False)
    for path in B.list_files(src):
        title, body = B.read_article(path)
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(title)
        tg.increase_termpos()
        tg.index_text(body)
        doc.set_data(path + "\n" + title + "\n" + body)
        doc.add_boolean_term("Q" + path)
        db.replace_document("Q" + path, doc)
        n += 1
    db.commit_transaction()
    db.close()
    return n


def xapian_parser(db, wildcard=False):
    import xapian
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_OR)
    flags = xapian.QueryParser.FLAG_DEFAULT
    if wildcard:
        flags |= xapian.QueryParser.FLAG_WILDCARD
    return qp, flags


def xapian_parse(qp, flags, q):
    import xapian
    try:
        return qp.parse_query(q, flags)
    except xapian.QueryParserError:
        # as Omega does: retry without the operators
        return qp.parse_query(q, 0)


def xapian_run(db_path, queries, out, n):
    import xapian
    db = xapian.Database(db_path)
    qp, flags = xapian_parser(db)
    enq = xapian.Enquire(db)          # BM25Weight() defaults: k1=1, b=0.5
    with open(out, "w") as f:
        for qid, q in read_queries(queries):
            enq.set_query(xapian_parse(qp, flags, q))
            for m in enq.get_mset(0, n):
                path = m.document.get_data().decode(
                    "utf-8", "replace").split("\n", 1)[0]
                f.write("%s Q0 %s %d %.6f xapian\n" % (
                    qid, docno_of(path), m.rank + 1, m.weight))


def xapian_batch(db_path, queries, snippets, out):
    import xapian
    db = xapian.Database(db_path)
    qp, flags = xapian_parser(db, wildcard=True)
    stem = xapian.Stem("english")
    enq = xapian.Enquire(db)
    qs = read_queries(queries)
    with open(out, "w") as f:
        t0 = time.perf_counter()
        for qid, q in qs:
            enq.set_query(xapian_parse(qp, flags, q))
            mset = enq.get_mset(0, 10)
            hits = []
            for m in mset:
                if snippets:
                    path, title, text = (m.document.get_data().decode(
                        "utf-8", "replace").split("\n", 2) + ["", ""])[:3]
                    hits.append({"path": path, "title": title,
                                 "score": m.weight,
                                 "snippet": mset.snippet(
                                     text, SNIPPET_BYTES, stem).decode(
                                         "utf-8", "replace")})
                else:
                    hits.append({"docid": m.docid, "score": m.weight})
            f.write(json.dumps({"id": qid, "total":
                                mset.get_matches_estimated(),
                                "hits": hits}) + "\n")
        dt = time.perf_counter() - t0
    return len(qs), dt


# -------------------------------------------------------------------- FTS5

def fts5_index(src, db_path):
    if os.path.exists(db_path):
        os.unlink(db_path)
    con = sqlite3.connect(db_path)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, "
                "path UNINDEXED, tokenize='porter unicode61')")
    n = 0
    con.execute("BEGIN")
    for path in B.list_files(src):
        title, body = B.read_article(path)
        d = docno_of(path)
        rowid = int(d) if d.isdigit() else None
        con.execute("INSERT INTO t(rowid, title, body, path) "
                    "VALUES (?, ?, ?, ?)", (rowid, title, body, path))
        n += 1
    con.execute("COMMIT")
    con.close()
    return n


def fts5_or_query(q):
    """Natural-language query -> FTS5 OR of its quoted terms (unicode61
    token characters; FTS5 syntax characters and keywords neutralised)."""
    toks = re.findall(r"[^\W_]+", q.lower())
    return " OR ".join('"%s"' % t for t in toks)


def fts5_run(db_path, queries, out, n):
    con = sqlite3.connect(db_path)
    with open(out, "w") as f:
        for qid, q in read_queries(queries):
            mq = fts5_or_query(q)
            if not mq:
                continue
            rows = con.execute("SELECT path, bm25(t) FROM t WHERE t MATCH ? "
                               "ORDER BY rank LIMIT ?", (mq, n)).fetchall()
            for i, (path, score) in enumerate(rows):
                # bm25() is negative (lower = better): negate for TREC
                f.write("%s Q0 %s %d %.6f fts5\n" % (
                    qid, docno_of(path), i + 1, -score))


def fts5_batch(db_path, queries, snippets, out):
    con = sqlite3.connect(db_path)
    # ORDER BY rank (= bm25(t), FTS5's default rank function) lets FTS5
    # sort before the SELECT list is evaluated, so snippet() runs for the 10
    # rows returned only.  Ordering by a bm25(t) column alias instead makes
    # SQLite compute snippet() for every matching row before sorting: 53 q/s
    # instead of ~240 on Wikipedia (PEERS.md's 45 q/s is that plan).
    if snippets:
        sql = ("SELECT rowid, title, path, bm25(t), snippet(t, -1, '<b>', "
               "'</b>', '...', %d) FROM t WHERE t MATCH ? ORDER BY rank "
               "LIMIT 10" % FTS5_SNIPPET_TOKENS)
    else:
        sql = ("SELECT rowid, bm25(t) FROM t WHERE t MATCH ? "
               "ORDER BY rank LIMIT 10")
    qs = read_queries(queries)
    with open(out, "w") as f:
        t0 = time.perf_counter()
        for qid, q in qs:
            rows = con.execute(sql, (q,)).fetchall()
            if snippets:
                hits = [{"path": r[2], "title": r[1], "score": -r[3],
                         "snippet": r[4]} for r in rows]
            else:
                hits = [{"docid": r[0], "score": -r[1]} for r in rows]
            f.write(json.dumps({"id": qid, "hits": hits}) + "\n")
        dt = time.perf_counter() - t0
    return len(qs), dt


def main(argv):
    if len(argv) < 3:
        B.die(__doc__)
    cmd = argv[0]
    opts = argv[1:]
    n = 1000
    out = "/dev/null"
    snippets = False
    pos = []
    i = 0
    while i < len(opts):
        if opts[i] == "-n":
            n = int(opts[i + 1])
            i += 2
        elif opts[i] == "--out":
            out = opts[i + 1]
            i += 2
        elif opts[i] == "--snippets":
            snippets = True
            i += 1
        else:
            pos.append(opts[i])
            i += 1
    if cmd == "xapian-index":
        print("documents %d" % xapian_index(pos[0], pos[1]))
    elif cmd == "fts5-index":
        print("documents %d" % fts5_index(pos[0], pos[1]))
    elif cmd == "xapian-run":
        xapian_run(pos[0], pos[1], pos[2], n)
    elif cmd == "fts5-run":
        fts5_run(pos[0], pos[1], pos[2], n)
    elif cmd in ("xapian-batch", "fts5-batch"):
        fn = xapian_batch if cmd == "xapian-batch" else fts5_batch
        nq, dt = fn(pos[0], pos[1], snippets, out)
        print("queries %d seconds %.4f qps %.1f" % (nq, dt, nq / dt))
    else:
        B.die("peers.py: unknown command '%s'" % cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
