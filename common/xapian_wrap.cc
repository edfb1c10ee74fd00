/*
 * xapian_wrap.cc - the C interface to Xapian (see xapian_wrap.h).
 *
 * This is the only file of tsearch that includes <xapian.h> and the only
 * C++ file. Every entry point runs its body inside guard(), which turns any
 * exception into a status code and keeps the message on the handle, so no
 * exception ever crosses into C.
 */
#include "xapian_wrap.h"

#include <xapian.h>

#include "docdata.h"
#include "textstore.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <endian.h>
#include <strings.h>

/* ====================================================================== */
/* Exceptions to status codes                                              */
/* ====================================================================== */

/* Keep MSG in ERR without ever throwing (the copy itself may fail). */
static void keep(std::string *err, const char *msg, const std::string &detail = "") noexcept
{
	if (!err)
		return;
	try {
		*err = msg;
		if (!detail.empty()) {
			*err += " (";
			*err += detail;
			*err += ")";
		}
	} catch (...) {
		err->clear();
	}
}

static void keep_xapian(std::string *err, const Xapian::Error &e) noexcept
{
	try {
		std::string detail;
		if (e.get_error_string())
			detail = e.get_error_string();
		keep(err, e.get_msg().c_str(), detail);
	} catch (...) {
		keep(err, "xapian error");
	}
}

/* A failure outside Xapian (the text store), with its status and message. */
struct status_error : std::runtime_error {
	ts_status_t status;
	status_error(ts_status_t st, const std::string &msg) : std::runtime_error(msg), status(st)
	{
	}
};

/*
 * Run BODY, mapping every exception to a status; on failure the message is
 * kept in *ERR (when ERR is not NULL). The order of the catch clauses
 * matters: subclasses before their bases.
 */
template <typename F> static ts_status_t guard(std::string *err, F &&body) noexcept
{
	try {
		body();
		return TS_OK;
	} catch (const status_error &e) {
		keep(err, e.what());
		return e.status;
	} catch (const Xapian::DatabaseLockError &e) {
		keep_xapian(err, e);
		return TS_ELOCKED;
	} catch (const Xapian::DatabaseModifiedError &e) {
		keep_xapian(err, e);
		return TS_EMODIFIED;
	} catch (const Xapian::DatabaseVersionError &e) {
		keep_xapian(err, e);
		return TS_EVERSION;
	} catch (const Xapian::DatabaseNotFoundError &e) {
		keep_xapian(err, e);
		return TS_ENOENT;
	} catch (const Xapian::DatabaseCorruptError &e) {
		keep_xapian(err, e);
		return TS_ECORRUPT;
	} catch (const Xapian::DatabaseOpeningError &e) {
		keep_xapian(err, e);
		return TS_ECORRUPT;
	} catch (const Xapian::QueryParserError &e) {
		keep_xapian(err, e);
		return TS_EQUERY;
	} catch (const Xapian::InvalidArgumentError &e) {
		keep_xapian(err, e);
		return TS_EINVAL;
	} catch (const Xapian::DatabaseError &e) {
		/* Write failures (a full disk) and read failures end up here. */
		keep_xapian(err, e);
		return TS_EIO;
	} catch (const Xapian::Error &e) {
		keep_xapian(err, e);
		return TS_EXAPIAN;
	} catch (const std::bad_alloc &) {
		keep(err, "out of memory");
		return TS_ENOMEM;
	} catch (const std::exception &e) {
		keep(err, e.what());
		return TS_EINTERNAL;
	} catch (...) {
		keep(err, "unknown exception");
		return TS_EINTERNAL;
	}
}

/* Copy S into a malloc'd NUL-terminated buffer (C side frees it). */
static char *dup_string(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

extern "C" const char *ts_xapian_version(void)
{
	return Xapian::version_string();
}

/* ====================================================================== */
/* Documents                                                               */
/* ====================================================================== */

struct ts_doc {
	Xapian::Document doc;
	size_t postings = 0; /* postings and terms added */
	std::string data;    /* as set, not yet whitened */
	std::string texts;   /* its text store record, or empty */
	bool has_data = false;
};

extern "C" ts_status_t ts_doc_new(ts_doc_t **out)
{
	*out = nullptr;
	return guard(nullptr, [&] { *out = new ts_doc(); });
}

extern "C" void ts_doc_free(ts_doc_t *doc)
{
	delete doc;
}

extern "C" ts_status_t ts_doc_add_posting(ts_doc_t *doc, const char *term, size_t len,
                                          uint32_t position, uint32_t wdfinc)
{
	return guard(nullptr, [&] {
		doc->doc.add_posting(std::string(term, len), position, wdfinc);
		doc->postings++;
	});
}

extern "C" ts_status_t ts_doc_add_term(ts_doc_t *doc, const char *term, size_t len, uint32_t wdfinc)
{
	return guard(nullptr, [&] {
		doc->doc.add_term(std::string(term, len), wdfinc);
		doc->postings++;
	});
}

extern "C" ts_status_t ts_doc_add_boolean(ts_doc_t *doc, const char *term, size_t len)
{
	return guard(nullptr, [&] { doc->doc.add_boolean_term(std::string(term, len)); });
}

extern "C" ts_status_t ts_doc_set_value(ts_doc_t *doc, unsigned slot, const char *value, size_t len)
{
	return guard(nullptr, [&] { doc->doc.add_value(slot, std::string(value, len)); });
}

/* The next eight bytes of the sequence (splitmix64). */
static uint64_t whitening(uint64_t &x)
{
	uint64_t z = (x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/*
 * Document data is stored whitened: each byte XORed with a fixed
 * pseudo-random sequence (splitmix64's), and XORed back when read.
 * Xapian 1.4 zlib-compresses any document data deflate can shrink, with no
 * way to turn that off. On the records tsearch keeps it saved 17% of the
 * docdata table (0.6 MB of a 250 MB index on the Wikipedia set) and cost
 * each hit an inflate (20-36 k instructions, mostly building Huffman
 * tables): 0.09 ms of a ten-hit query. A whitened record does not shrink,
 * so Xapian keeps it as it is.
 */
static void whiten(std::string &s)
{
	uint64_t x = 0;
	size_t n = s.size(), i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		std::memcpy(&w, &s[i], 8);
		w ^= htole64(whitening(x)); /* byte j of the data gets bits 8j.. of the sequence */
		std::memcpy(&s[i], &w, 8);
	}
	/* The last bytes: as the low bytes of a little-endian word. */
	for (uint64_t z = i < n ? whitening(x) : 0; i < n; i++, z >>= 8)
		s[i] = static_cast<char>(s[i] ^ static_cast<char>(z & 0xff));
}

extern "C" ts_status_t ts_doc_set_data(ts_doc_t *doc, const char *data, size_t len)
{
	return guard(nullptr, [&] {
		doc->data.assign(data, len);
		doc->has_data = true;
	});
}

extern "C" ts_status_t ts_doc_set_texts(ts_doc_t *doc, const char *rec, size_t len)
{
	return guard(nullptr, [&] { doc->texts.assign(rec, len); });
}

extern "C" size_t ts_doc_postings(const ts_doc_t *doc)
{
	return doc->postings;
}

/* ====================================================================== */
/* Writer                                                                  */
/* ====================================================================== */

struct ts_writer {
	Xapian::WritableDatabase db;
	bool open = false;
	bool in_tx = false;
	bool sync = true;
	std::string path;
	unsigned texts_file = 0;
	ts_texts_writer_t *texts = nullptr; /* opened with the first record */
	std::string data;                   /* scratch */
	ts_buf_t where = {nullptr, 0, 0};   /* scratch */
	std::string err;
};

extern "C" ts_status_t ts_writer_new(ts_writer_t **out)
{
	*out = nullptr;
	return guard(nullptr, [&] { *out = new ts_writer(); });
}

/*
 * B-tree block size of the databases tsearch creates. A query process reads
 * every block it needs with a pread into a fresh buffer; smaller blocks
 * copy less. One query per process on the Wikipedia set, median of 250
 * queries side by side: 2 KiB 2.39 ms, 4 KiB 2.39, 8 KiB (Xapian's default)
 * 2.49, 16 KiB 2.54 (quest 2.33); a batch is as fast with any of them. 2 KiB
 * makes the index 1% larger.
 */
#define TS_BLOCK_SIZE 4096

extern "C" ts_status_t ts_writer_open(ts_writer_t *w, const char *path, int flags)
{
	return guard(&w->err, [&] {
		int action = Xapian::DB_OPEN;
		if (flags & TS_WRITER_OVERWRITE)
			action = Xapian::DB_CREATE_OR_OVERWRITE;
		else if (flags & TS_WRITER_CREATE)
			action = Xapian::DB_CREATE_OR_OPEN;
		action |= Xapian::DB_BACKEND_GLASS;
		if (flags & TS_WRITER_NO_SYNC)
			action |= Xapian::DB_NO_SYNC;
		w->db = Xapian::WritableDatabase(path, action, TS_BLOCK_SIZE);
		w->open = true;
		w->path = path;
		w->sync = !(flags & TS_WRITER_NO_SYNC);
	});
}

extern "C" void ts_writer_set_texts_file(ts_writer_t *w, unsigned file)
{
	w->texts_file = file;
}

static std::string texts_key(unsigned file)
{
	return TS_META_TEXTS + std::to_string(file);
}

/* The writer's text store file, opened after the length the database covers. */
static ts_status_t texts_open(ts_writer_t *w)
{
	if (w->texts)
		return TS_OK;
	std::string v = w->db.get_metadata(texts_key(w->texts_file));
	char err[512] = "";
	ts_status_t st =
	    ts_texts_writer_open(&w->texts, w->path.c_str(), w->texts_file,
	                         std::strtoull(v.c_str(), nullptr, 10), w->sync, err, sizeof err);
	if (st)
		keep(&w->err, err);
	return st;
}

/*
 * Before a commit: the records appended since the last one go on disk, and
 * the file's new length into the changes being committed.
 */
static ts_status_t texts_flush(ts_writer_t *w)
{
	if (!w->texts || !ts_texts_writer_pending(w->texts))
		return TS_OK;
	char err[512] = "";
	uint64_t size;
	ts_status_t st = ts_texts_writer_flush(w->texts, &size, err, sizeof err);
	if (st) {
		keep(&w->err, err);
		return st;
	}
	w->db.set_metadata(texts_key(ts_texts_writer_file(w->texts)), std::to_string(size));
	return TS_OK;
}

/*
 * Run BODY, which commits W's changes: the records appended since the last
 * commit go on disk first, and count as committed once BODY succeeds.
 */
template <typename F> static ts_status_t committing(ts_writer_t *w, F &&body)
{
	ts_status_t st = guard(&w->err, [&] {
		if (ts_status_t fst = texts_flush(w))
			throw status_error(fst, w->err);
		body();
	});
	if (!st && w->texts)
		ts_texts_writer_committed(w->texts);
	return st;
}

extern "C" void ts_writer_free(ts_writer_t *w)
{
	if (!w)
		return;
	(void)guard(&w->err, [&] {
		if (w->open && w->in_tx)
			w->db.cancel_transaction();
		/* Closing commits what was changed outside a transaction, whose
		 * records store_data put on disk already. */
		if (w->open)
			w->db.close();
	});
	ts_texts_writer_free(w->texts);
	ts_buf_release(&w->where);
	delete w;
}

extern "C" const char *ts_writer_error(const ts_writer_t *w)
{
	return w ? w->err.c_str() : "";
}

extern "C" ts_status_t ts_writer_begin(ts_writer_t *w)
{
	/* A flushed transaction first commits the changes before it. */
	return committing(w, [&] {
		w->db.begin_transaction(true);
		w->in_tx = true;
	});
}

extern "C" ts_status_t ts_writer_commit_tx(ts_writer_t *w)
{
	return committing(w, [&] {
		w->in_tx = false;
		w->db.commit_transaction();
	});
}

extern "C" ts_status_t ts_writer_cancel_tx(ts_writer_t *w)
{
	if (w->texts)
		ts_texts_writer_rollback(w->texts);
	return guard(&w->err, [&] {
		w->in_tx = false;
		w->db.cancel_transaction();
	});
}

extern "C" ts_status_t ts_writer_commit(ts_writer_t *w)
{
	return committing(w, [&] { w->db.commit(); });
}

/*
 * Set DOC's data as it is stored: with where its record went, when it has
 * one (appended to W's text store file), and whitened.
 */
static ts_status_t store_data(ts_writer_t *w, ts_doc_t *doc)
{
	if (!doc->has_data && doc->texts.empty())
		return TS_OK;
	w->data = doc->data;
	if (!doc->texts.empty()) {
		ts_status_t st = texts_open(w);
		uint64_t offset = 0;
		if (!st)
			st = ts_texts_writer_append(w->texts, doc->texts.data(), doc->texts.size(),
			                            &offset);
		/* Outside a transaction Xapian may commit on its own, whenever
		 * its buffers fill: the record must be on disk by then. */
		if (!st && !w->in_tx)
			st = texts_flush(w);
		ts_buf_clear(&w->where);
		if (!st)
			st = ts_docdata_append_where(&w->where, w->texts_file, offset,
			                             doc->texts.size());
		if (st)
			return st;
		w->data.append(w->where.data, w->where.len);
	}
	whiten(w->data);
	doc->doc.set_data(w->data);
	return TS_OK;
}

extern "C" ts_status_t ts_writer_add(ts_writer_t *w, ts_doc_t *doc)
{
	return guard(&w->err, [&] {
		if (ts_status_t st = store_data(w, doc))
			throw status_error(st, w->err);
		w->db.add_document(doc->doc);
	});
}

extern "C" ts_status_t ts_writer_replace(ts_writer_t *w, const char *id_term, size_t len,
                                         ts_doc_t *doc)
{
	return guard(&w->err, [&] {
		if (ts_status_t st = store_data(w, doc))
			throw status_error(st, w->err);
		w->db.replace_document(std::string(id_term, len), doc->doc);
	});
}

extern "C" ts_status_t ts_writer_delete(ts_writer_t *w, const char *term, size_t len)
{
	return guard(&w->err, [&] { w->db.delete_document(std::string(term, len)); });
}

extern "C" ts_status_t ts_writer_set_metadata(ts_writer_t *w, const char *key, const char *value,
                                              size_t len)
{
	return guard(&w->err, [&] { w->db.set_metadata(key, std::string(value, len)); });
}

/* Shared by the writer and the reader: Xapian::WritableDatabase is a Database. */
static ts_status_t get_metadata(Xapian::Database &db, std::string *err, const char *key,
                                char **value, size_t *len)
{
	*value = nullptr;
	*len = 0;
	return guard(err, [&] {
		std::string v = db.get_metadata(key);
		if (v.empty())
			return;
		*value = dup_string(v);
		*len = v.size();
	});
}

extern "C" ts_status_t ts_writer_get_metadata(ts_writer_t *w, const char *key, char **value,
                                              size_t *len)
{
	return get_metadata(w->db, &w->err, key, value, len);
}

static ts_status_t metadata_each(Xapian::Database &db, std::string *err, const char *prefix,
                                 ts_metadata_fn fn, void *ctx)
{
	return guard(err, [&] {
		for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix);
		     ++it) {
			const std::string key = *it;
			const std::string value = db.get_metadata(key);
			if (fn(ctx, key.data(), key.size(), value.data(), value.size()))
				break;
		}
	});
}

extern "C" ts_status_t ts_writer_metadata_each(ts_writer_t *w, const char *prefix,
                                               ts_metadata_fn fn, void *ctx)
{
	return metadata_each(w->db, &w->err, prefix, fn, ctx);
}

extern "C" ts_status_t ts_writer_add_spelling(ts_writer_t *w, const char *word, size_t len,
                                              uint32_t freq)
{
	return guard(&w->err, [&] { w->db.add_spelling(std::string(word, len), freq); });
}

extern "C" ts_status_t ts_writer_doccount(ts_writer_t *w, uint32_t *count)
{
	*count = 0;
	return guard(&w->err, [&] { *count = w->db.get_doccount(); });
}

extern "C" ts_status_t ts_writer_termfreq(ts_writer_t *w, const char *term, size_t len,
                                          uint32_t *freq)
{
	*freq = 0;
	return guard(&w->err, [&] { *freq = w->db.get_termfreq(std::string(term, len)); });
}

extern "C" ts_status_t ts_compact(const char *const *srcs, size_t nsrc, const char *dst,
                                  char *errbuf, size_t errlen)
{
	std::string err;
	ts_status_t st = guard(&err, [&] {
		Xapian::Database db;
		for (size_t i = 0; i < nsrc; i++)
			db.add_database(Xapian::Database(srcs[i]));
		db.compact(dst, Xapian::DBCOMPACT_MULTIPASS, TS_BLOCK_SIZE);
	});
	if (st && errbuf && errlen)
		std::snprintf(errbuf, errlen, "%s", err.c_str());
	return st;
}

/* ====================================================================== */
/* Reader                                                                  */
/* ====================================================================== */

struct ts_reader {
	Xapian::Database db;
	bool open = false;
	std::string err;
	/* The stoppers made so far, by word list (prose and keyword queries use
	 * different lists; a batch mixes them). Declared before qp, which points
	 * to one of them, so that they outlive it. */
	std::vector<std::pair<const char *const *, std::unique_ptr<Xapian::SimpleStopper>>>
	    stoppers;
	/* The query parser, kept from one query to the next while the options
	 * that shape it stay the same (a batch builds it once). */
	std::unique_ptr<Xapian::QueryParser> qp;
	ts_query_opts_t qp_opts{};
};

/* The stopper for the NULL-terminated WORDS (made once), or NULL for none. */
static const Xapian::Stopper *stopper_for(ts_reader_t *r, const char *const *words)
{
	if (!words)
		return nullptr;
	for (auto &s : r->stoppers)
		if (s.first == words)
			return s.second.get();
	std::unique_ptr<Xapian::SimpleStopper> stopper(new Xapian::SimpleStopper());
	for (const char *const *w = words; *w; w++)
		stopper->add(*w);
	r->stoppers.emplace_back(words, std::move(stopper));
	return r->stoppers.back().second.get();
}

extern "C" ts_status_t ts_reader_new(ts_reader_t **out)
{
	*out = nullptr;
	return guard(nullptr, [&] { *out = new ts_reader(); });
}

extern "C" ts_status_t ts_reader_open(ts_reader_t *r, const char *path)
{
	return guard(&r->err, [&] {
		r->db = Xapian::Database(path);
		r->open = true;
	});
}

extern "C" ts_status_t ts_reader_open_folder(ts_reader_t *r, const char *path)
{
	return guard(&r->err, [&] {
		try {
			r->db = Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
		} catch (const Xapian::DatabaseOpeningError &) {
			r->db = Xapian::Database(path); /* says what is wrong */
		}
		r->open = true;
	});
}

extern "C" ts_status_t ts_reader_reopen(ts_reader_t *r)
{
	return guard(&r->err, [&] { r->db.reopen(); });
}

extern "C" void ts_reader_free(ts_reader_t *r)
{
	if (!r)
		return;
	(void)guard(&r->err, [&] {
		if (r->open)
			r->db.close();
	});
	delete r;
}

extern "C" const char *ts_reader_error(const ts_reader_t *r)
{
	return r ? r->err.c_str() : "";
}

extern "C" ts_status_t ts_reader_get_metadata(ts_reader_t *r, const char *key, char **value,
                                              size_t *len)
{
	return get_metadata(r->db, &r->err, key, value, len);
}

extern "C" ts_status_t ts_reader_metadata_each(ts_reader_t *r, const char *prefix,
                                               ts_metadata_fn fn, void *ctx)
{
	return metadata_each(r->db, &r->err, prefix, fn, ctx);
}

extern "C" ts_status_t ts_reader_total_length(ts_reader_t *r, uint64_t *total)
{
	*total = 0;
	return guard(&r->err, [&] { *total = r->db.get_total_length(); });
}

extern "C" ts_status_t ts_reader_doccount(ts_reader_t *r, uint32_t *count)
{
	*count = 0;
	return guard(&r->err, [&] { *count = r->db.get_doccount(); });
}

extern "C" ts_status_t ts_reader_termfreq(ts_reader_t *r, const char *term, size_t len,
                                          uint32_t *freq)
{
	*freq = 0;
	return guard(&r->err, [&] { *freq = r->db.get_termfreq(std::string(term, len)); });
}

extern "C" ts_status_t ts_reader_avglength(ts_reader_t *r, double *avg)
{
	*avg = 0;
	return guard(&r->err, [&] { *avg = r->db.get_avlength(); });
}

extern "C" ts_status_t ts_reader_doclength(ts_reader_t *r, uint32_t docid, uint32_t *len)
{
	*len = 0;
	return guard(&r->err, [&] { *len = r->db.get_doclength(docid); });
}

extern "C" ts_status_t ts_reader_wdf(ts_reader_t *r, uint32_t docid, const char *term, size_t len,
                                     uint32_t *wdf)
{
	*wdf = 0;
	return guard(&r->err, [&] {
		std::string t(term, len);
		Xapian::TermIterator it = r->db.termlist_begin(docid);
		it.skip_to(t);
		if (it != r->db.termlist_end(docid) && *it == t)
			*wdf = it.get_wdf();
	});
}

extern "C" ts_status_t ts_reader_positions(ts_reader_t *r, uint32_t docid, const char *term,
                                           size_t len, uint32_t **pos, size_t *n)
{
	*pos = nullptr;
	*n = 0;
	ts_status_t st = guard(&r->err, [&] {
		std::string t(term, len);
		size_t cap = 0;
		for (auto it = r->db.positionlist_begin(docid, t);
		     it != r->db.positionlist_end(docid, t); ++it) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 32;
				void *p = std::realloc(*pos, cap * sizeof(uint32_t));
				if (!p)
					throw std::bad_alloc();
				*pos = static_cast<uint32_t *>(p);
			}
			(*pos)[(*n)++] = *it;
		}
	});
	if (st) {
		std::free(*pos);
		*pos = nullptr;
		*n = 0;
	}
	return st;
}

namespace
{
/* Call FN for the terms from IT on that start with P, until END or FN says stop. */
void each_term(Xapian::TermIterator it, const Xapian::TermIterator &end, const std::string &p,
               ts_term_fn fn, void *ctx)
{
	for (; it != end; ++it) {
		const std::string t = *it;
		if (t.compare(0, p.size(), p) != 0 || fn(ctx, t.data(), t.size()))
			break;
	}
}
} // namespace

extern "C" ts_status_t ts_reader_doc_terms(ts_reader_t *r, uint32_t docid, const char *prefix,
                                           size_t len, ts_term_fn fn, void *ctx)
{
	return guard(&r->err, [&] {
		std::string p(prefix, len);
		Xapian::TermIterator it = r->db.termlist_begin(docid);
		it.skip_to(p);
		each_term(it, r->db.termlist_end(docid), p, fn, ctx);
	});
}

extern "C" ts_status_t ts_reader_terms(ts_reader_t *r, const char *prefix, size_t len,
                                       ts_term_fn fn, void *ctx)
{
	return guard(&r->err, [&] {
		std::string p(prefix, len);
		each_term(r->db.allterms_begin(p), r->db.allterms_end(p), p, fn, ctx);
	});
}

extern "C" ts_status_t ts_reader_spelling(ts_reader_t *r, const char *word, size_t len,
                                          char **suggestion)
{
	*suggestion = nullptr;
	return guard(&r->err, [&] {
		std::string s = r->db.get_spelling_suggestion(std::string(word, len));
		if (!s.empty())
			*suggestion = dup_string(s);
	});
}

/* ====================================================================== */
/* Queries                                                                 */
/* ====================================================================== */

namespace
{

/*
 * The query parser's stemmer: every word the parser finds goes through the
 * project's analyzer, so query terms are made exactly as indexed terms are.
 */
class AnalyzerStem : public Xapian::StemImplementation
{
	ts_stemmer_t *stemmer;

public:
	explicit AnalyzerStem(ts_stemmer_t *s) : stemmer(s)
	{
	}
	std::string operator()(const std::string &word) override
	{
		const char *out;
		size_t n;
		ts_analyze_word(stemmer, word.data(), word.size(), &out, &n);
		/* A word the analyzer finds no token in stays as the parser had it:
		 * an empty term would match every document. */
		if (!n)
			return word;
		return std::string(out, n);
	}
	std::string get_description() const override
	{
		return "tsearch analyzer";
	}
};

/*
 * date:A..B over a value slot holding "YYYYMMDD..." strings. A and B may
 * be a year, a month or a day ("2025", "2025-02", "2025-02-07"; dashes and
 * slashes optional); either may be empty for an open range. The upper bound
 * takes in every date that starts with it.
 */
class DateRange : public Xapian::RangeProcessor
{
public:
	DateRange(Xapian::valueno slot_, const std::string &prefix)
	    : Xapian::RangeProcessor(slot_, prefix)
	{
	}

	static bool digits_of(const std::string &in, std::string &out)
	{
		out.clear();
		for (char c : in) {
			if (c >= '0' && c <= '9')
				out += c;
			else if (c != '-' && c != '/' && c != '.')
				return false;
		}
		return out.empty() || out.size() == 4 || out.size() == 6 || out.size() == 8;
	}

	Xapian::Query operator()(const std::string &begin, const std::string &end) override
	{
		std::string lo, hi;
		if (!digits_of(begin, lo) || !digits_of(end, hi) || (lo.empty() && hi.empty()))
			return Xapian::Query(Xapian::Query::OP_INVALID);
		if (!hi.empty())
			hi += "\xff";
		if (lo.empty())
			return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
		if (hi.empty())
			return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
		return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
	}
};

} // namespace

/* A query parser for the options O over DB (its stopper is set per parse). */
static std::unique_ptr<Xapian::QueryParser> make_parser(const Xapian::Database &db,
                                                        const ts_query_opts_t *o)
{
	std::unique_ptr<Xapian::QueryParser> qp(new Xapian::QueryParser());
	qp->set_database(db);
	qp->set_default_op(o->default_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
	if (o->stemmer) {
		qp->set_stemmer(Xapian::Stem(new AnalyzerStem(o->stemmer)));
		qp->set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
	}
	for (size_t i = 0; i < o->nfields; i++) {
		if (o->fields[i].boolean)
			qp->add_boolean_prefix(o->fields[i].name, o->fields[i].prefix);
		else
			qp->add_prefix(o->fields[i].name, o->fields[i].prefix);
	}
	if (o->date_slot >= 0 && o->date_field) {
		std::string prefix = std::string(o->date_field) + ":";
		qp->add_rangeprocessor((new DateRange(o->date_slot, prefix))->release());
	}
	if (o->max_wildcard)
		qp->set_max_expansion(o->max_wildcard, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
		                      Xapian::QueryParser::FLAG_WILDCARD);
	return qp;
}

/* Would a parser made for A serve for B? (Flags and stopper are set per parse.) */
static bool same_parser(const ts_query_opts_t *a, const ts_query_opts_t *b)
{
	return a->default_and == b->default_and && a->stemmer == b->stemmer &&
	       a->fields == b->fields && a->nfields == b->nfields && a->date_slot == b->date_slot &&
	       a->date_field == b->date_field && a->max_wildcard == b->max_wildcard;
}

struct ts_query {
	Xapian::Query query;
	std::string description; /* filled on demand */
};

extern "C" const char *const ts_query_operators[] = {"AND",  "OR",  "NOT",  "XOR",
                                                     "NEAR", "ADJ", nullptr};

/* A word of a simple query: ASCII letters and digits, 64 bytes at most. */
static bool simple_word(const char *w, size_t n)
{
	if (!n || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* Is W/N an operator's name, in any case? */
static bool operator_name(const char *w, size_t n)
{
	for (const char *const *op = ts_query_operators; *op; op++)
		if (strlen(*op) == n && !strncasecmp(*op, w, n))
			return true;
	return false;
}

/* Is W/N the operator AND or OR as the parser reads it under FLAGS (in
 * upper case; in any case with TS_Q_ANY_CASE)? Its operator into *HOW. */
static bool and_or(const char *w, size_t n, unsigned flags, Xapian::Query::op *how)
{
	static const struct {
		const char *name;
		Xapian::Query::op op;
	} ops[] = {{"AND", Xapian::Query::OP_AND}, {"OR", Xapian::Query::OP_OR}};
	for (const auto &c : ops)
		if (strlen(c.name) == n &&
		    !((flags & TS_Q_ANY_CASE) ? strncasecmp(w, c.name, n) : memcmp(w, c.name, n))) {
			*how = c.op;
			return true;
		}
	return false;
}

/*
 * The query Xapian's QueryParser gives for QUERY/LEN under O, into *OUT,
 * when QUERY has one of the simple forms below; false for anything else,
 * which is left to the parser. Building a parser and running it for the
 * first time costs a fresh process about 30 us. Words are as simple_word
 * says and name no operator; spaces separate them. The forms and what the
 * parser makes of them (with a stemmer and no stopper: every word's
 * stemmed term, wqf 1, positions 1, 2, ...):
 *   w1 w2 ...               the default operator over the terms
 *   w1 AND w2 AND ...       AND over the terms (OR likewise; TS_Q_BOOLEAN,
 *                           the operator in upper case unless
 *                           TS_Q_ANY_CASE)
 *   "w1 w2 ..."             PHRASE over the terms, as wide as they are
 *                           many; one word is its term (TS_Q_PHRASE)
 *   w*                      WILDCARD over the terms starting with w in
 *                           lower case, expanded as make_parser sets
 *                           (TS_Q_WILDCARD)
 * The unit tests and the query fuzzer hold these to the parser's queries.
 */
static bool simple_query(const char *query, size_t len, const ts_query_opts_t *o,
                         Xapian::Query *out)
{
	if (!o->stemmer || o->stopwords || (o->flags & TS_Q_PARSER))
		return false;
	while (len && query[len - 1] == ' ')
		len--;
	while (len && query[0] == ' ') {
		query++;
		len--;
	}
	if (!len)
		return false;
	if (query[len - 1] == '*') {
		if (!(o->flags & TS_Q_WILDCARD) || !simple_word(query, len - 1) ||
		    operator_name(query, len - 1))
			return false;
		std::string prefix(query, len - 1);
		for (char &c : prefix)
			if (c >= 'A' && c <= 'Z')
				c = static_cast<char>(c - 'A' + 'a');
		*out = o->max_wildcard
		           ? Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, o->max_wildcard,
		                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT)
		           : Xapian::Query(Xapian::Query::OP_WILDCARD, prefix);
		return true;
	}
	bool phrase = false;
	if (query[0] == '"') {
		if (!(o->flags & TS_Q_PHRASE) || len < 3 || query[len - 1] != '"' ||
		    query[1] == ' ' || query[len - 2] == ' ')
			return false;
		phrase = true;
		query++;
		len -= 2;
	}
	/* The pieces between spaces: words, and in the Boolean form an operator
	 * between each two. */
	std::vector<std::pair<const char *, size_t>> pieces;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && query[j] != ' ')
			j++;
		pieces.emplace_back(query + i, j - i);
		while (j < len && query[j] == ' ')
			j++;
		i = j;
	}
	/* The operator between each two words, as typed ("AND" or "OR"), and
	 * what it joins them with; none for plain words. */
	const char *op = nullptr;
	size_t oplen = 0;
	Xapian::Query::op how = o->default_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
	if (!phrase && pieces.size() >= 3 && operator_name(pieces[1].first, pieces[1].second)) {
		op = pieces[1].first;
		oplen = pieces[1].second;
		if (!(o->flags & TS_Q_BOOLEAN) || pieces.size() % 2 == 0 ||
		    !and_or(op, oplen, o->flags, &how))
			return false;
	}
	AnalyzerStem stem(o->stemmer);
	std::vector<Xapian::Query> terms;
	for (size_t k = 0; k < pieces.size(); k++) {
		const char *w = pieces[k].first;
		size_t n = pieces[k].second;
		if (op && k % 2) {
			if (n != oplen || memcmp(w, op, n))
				return false; /* another operator, or the same spelt otherwise */
			continue;
		}
		if (!simple_word(w, n) || operator_name(w, n))
			return false;
		terms.emplace_back(stem(std::string(w, n)), 1,
		                   static_cast<Xapian::termpos>(terms.size() + 1));
	}
	if (terms.empty())
		return false;
	if (terms.size() == 1) {
		*out = terms[0];
	} else if (phrase) {
		*out = Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
		                     static_cast<Xapian::termcount>(terms.size()));
	} else {
		*out = Xapian::Query(how, terms.begin(), terms.end());
	}
	return true;
}

extern "C" ts_status_t ts_query_parse(ts_reader_t *r, const char *query, size_t len,
                                      const ts_query_opts_t *o, ts_query_t **out)
{
	*out = nullptr;
	ts_query_t *q = nullptr;
	ts_status_t st = guard(&r->err, [&] {
		q = new ts_query();
		if (simple_query(query, len, o, &q->query))
			return;
		if (!r->qp || !same_parser(&r->qp_opts, o)) {
			r->qp.reset();
			r->qp = make_parser(r->db, o);
			r->qp_opts = *o;
		}
		Xapian::QueryParser &qp = *r->qp;
		qp.set_stopper(stopper_for(r, o->stopwords));
		unsigned flags = 0;
		if (o->flags & TS_Q_BOOLEAN)
			flags |= Xapian::QueryParser::FLAG_BOOLEAN;
		if (o->flags & TS_Q_PHRASE)
			flags |= Xapian::QueryParser::FLAG_PHRASE;
		if (o->flags & TS_Q_LOVEHATE)
			flags |= Xapian::QueryParser::FLAG_LOVEHATE;
		if (o->flags & TS_Q_WILDCARD)
			flags |= Xapian::QueryParser::FLAG_WILDCARD;
		if (o->flags & TS_Q_PURE_NOT)
			flags |= Xapian::QueryParser::FLAG_PURE_NOT;
		if (o->flags & TS_Q_ANY_CASE)
			flags |= Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;
		q->query = qp.parse_query(std::string(query, len), flags);
	});
	if (st) {
		delete q;
		return st;
	}
	*out = q;
	return TS_OK;
}

extern "C" void ts_query_free(ts_query_t *q)
{
	delete q;
}

extern "C" const char *ts_query_describe(const ts_query_t *q)
{
	ts_query_t *mq = const_cast<ts_query_t *>(q);
	if (guard(nullptr, [&] { mq->description = q->query.get_description(); }))
		return "";
	return q->description.c_str();
}

extern "C" int ts_query_same(const ts_query_t *a, const ts_query_t *b)
{
	int same = 0;
	(void)guard(nullptr, [&] { same = a->query.serialise() == b->query.serialise(); });
	return same;
}

extern "C" void ts_query_terms(const ts_query_t *q, ts_term_fn fn, void *ctx)
{
	(void)guard(nullptr, [&] {
		for (auto it = q->query.get_unique_terms_begin();
		     it != q->query.get_unique_terms_end(); ++it) {
			const std::string t = *it;
			if (fn(ctx, t.data(), t.size()))
				break;
		}
	});
}

extern "C" int ts_query_empty(const ts_query_t *q)
{
	return q->query.empty();
}

/* ====================================================================== */
/* Result sets                                                             */
/* ====================================================================== */

struct ts_mset {
	Xapian::Enquire enquire;
	Xapian::MSet mset;
	std::vector<std::string> held; /* per hit: the data or value last handed out */

	explicit ts_mset(const Xapian::Database &db) : enquire(db)
	{
	}
};

extern "C" ts_status_t ts_reader_search(ts_reader_t *r, ts_query_t *q, const ts_search_opts_t *o,
                                        ts_mset_t **out)
{
	*out = nullptr;
	ts_mset_t *m = nullptr;
	ts_status_t st = guard(&r->err, [&] {
		m = new ts_mset(r->db);
		m->enquire.set_query(q->query);
		if (o->k1 > 0)
			m->enquire.set_weighting_scheme(Xapian::BM25Weight(o->k1, 0, 1, o->b, 0.5));
		m->enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
		if (o->sort != TS_SORT_RELEVANCE && o->date_slot >= 0)
			m->enquire.set_sort_by_value_then_relevance(o->date_slot,
			                                            o->sort == TS_SORT_DATE_DESC);
		m->mset = m->enquire.get_mset(o->offset, o->limit, o->check_at_least);
		m->held.resize(m->mset.size());
	});
	if (st) {
		delete m;
		return st;
	}
	*out = m;
	return TS_OK;
}

extern "C" void ts_mset_free(ts_mset_t *m)
{
	delete m;
}

extern "C" size_t ts_mset_size(const ts_mset_t *m)
{
	return m->mset.size();
}

extern "C" ts_status_t ts_mset_termfreq(ts_reader_t *r, const ts_mset_t *m, const char *term,
                                        size_t len, uint32_t *freq)
{
	*freq = 0;
	return guard(&r->err, [&] { *freq = m->mset.get_termfreq(std::string(term, len)); });
}

extern "C" uint32_t ts_mset_docid(const ts_mset_t *m, size_t i)
{
	return *m->mset[static_cast<Xapian::doccount>(i)];
}

extern "C" void ts_mset_estimate(const ts_mset_t *m, uint32_t *estimate, uint32_t *lower,
                                 uint32_t *upper)
{
	*estimate = m->mset.get_matches_estimated();
	if (lower)
		*lower = m->mset.get_matches_lower_bound();
	if (upper)
		*upper = m->mset.get_matches_upper_bound();
}

/* Hit I of M with its data (SLOT < 0) or its value SLOT, kept in M. */
static ts_status_t mset_hit(ts_reader_t *r, ts_mset_t *m, size_t i, int slot, ts_hit_t *hit)
{
	std::memset(hit, 0, sizeof *hit);
	if (i >= m->mset.size())
		return TS_EINVAL;
	return guard(&r->err, [&] {
		Xapian::MSetIterator it = m->mset[static_cast<Xapian::doccount>(i)];
		Xapian::Document doc = it.get_document();
		if (slot < 0) {
			m->held[i] = doc.get_data();
			whiten(m->held[i]);
		} else {
			m->held[i] = doc.get_value(static_cast<unsigned>(slot));
		}
		hit->docid = *it;
		hit->rank = it.get_rank();
		hit->weight = it.get_weight();
		hit->data = m->held[i].data();
		hit->datalen = m->held[i].size();
	});
}

extern "C" ts_status_t ts_mset_hit(ts_reader_t *r, ts_mset_t *m, size_t i, ts_hit_t *hit)
{
	return mset_hit(r, m, i, -1, hit);
}

extern "C" ts_status_t ts_mset_hit_value(ts_reader_t *r, ts_mset_t *m, size_t i, unsigned slot,
                                         ts_hit_t *hit)
{
	return mset_hit(r, m, i, static_cast<int>(slot), hit);
}

extern "C" ts_status_t ts_mset_matching_terms(ts_reader_t *r, ts_mset_t *m, size_t i, ts_term_fn fn,
                                              void *ctx)
{
	if (i >= m->mset.size())
		return TS_EINVAL;
	return guard(&r->err, [&] {
		Xapian::MSetIterator it = m->mset[static_cast<Xapian::doccount>(i)];
		for (auto t = m->enquire.get_matching_terms_begin(it);
		     t != m->enquire.get_matching_terms_end(it); ++t) {
			const std::string term = *t;
			if (fn(ctx, term.data(), term.size()))
				break;
		}
	});
}

/* ====================================================================== */
/* Query expansion                                                         */
/* ====================================================================== */

namespace
{

/* Expansion candidates: plain words of three letters or more, not already asked for. */
class ExpandTerms : public Xapian::ExpandDecider
{
	std::vector<std::string> skip; /* the query's own terms, sorted */

public:
	explicit ExpandTerms(const Xapian::Query &q)
	{
		for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it)
			skip.push_back(*it);
		std::sort(skip.begin(), skip.end());
	}
	bool operator()(const std::string &t) const override
	{
		if (t.size() < 3)
			return false;
		unsigned char c = static_cast<unsigned char>(t[0]);
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			return false;
		return !std::binary_search(skip.begin(), skip.end(), t);
	}
};

} // namespace

extern "C" ts_status_t ts_query_expand(ts_reader_t *r, ts_mset_t *m, const ts_query_t *q,
                                       unsigned nrel, unsigned nterms, double weight,
                                       const char *scheme, ts_query_t **out)
{
	*out = nullptr;
	ts_query_t *e = nullptr;
	ts_status_t st = guard(&r->err, [&] {
		e = new ts_query();
		e->query = q->query;
		Xapian::RSet rset;
		for (Xapian::doccount i = 0; i < nrel && i < m->mset.size(); i++)
			rset.add_document(*m->mset[i]);
		if (rset.empty() || !nterms)
			return;
		ExpandTerms decider(q->query);
		m->enquire.set_expansion_scheme(scheme && *scheme ? scheme : "trad");
		Xapian::ESet eset = m->enquire.get_eset(nterms, rset, &decider);
		/* Each added term counts as much as its expansion weight says,
		 * relative to the best one. */
		std::vector<Xapian::Query> extra;
		double top = eset.empty() ? 0 : eset.begin().get_weight();
		for (auto it = eset.begin(); it != eset.end(); ++it)
			extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
			                   top > 0 ? it.get_weight() / top : 1.0);
		if (extra.empty())
			return;
		Xapian::Query more(Xapian::Query::OP_OR, extra.begin(), extra.end());
		e->query =
		    Xapian::Query(Xapian::Query::OP_AND_MAYBE, q->query,
		                  Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, more, weight));
	});
	if (st) {
		delete e;
		return st;
	}
	*out = e;
	return TS_OK;
}
