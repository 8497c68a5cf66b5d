/*
 * walk.c - directory trees: every entry in name order, symbolic links
 * followed but each directory read once (a link back up the tree does not
 * loop), at most CS_MAX_DIR_DEPTH levels and CS_MAX_DIR_FILES entries;
 * with skip_seen_files each regular file read once too, under the first
 * name that leads to it;
 * regular files are loaded, files holding nothing loadable are counted
 * as skipped, FIFOs and devices are skipped unread.
 *
 * Does not: look at file names to guess formats (load.c decides by
 * content).
 */
#include "input/load_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct devino {
	dev_t dev;
	ino_t ino;
};

struct walk {
	struct cs_itemlist *list;
	const struct cs_load_opts *opts;
	struct cs_error *err;
	size_t files;          /* entries looked at in the whole tree */
	int stop;              /* CS_MAX_DIR_FILES reached */
	struct devino *seen;   /* owned; sorted visited directories */
	size_t nseen, capseen;
	cs_load_each_fn each;  /* cs_load_each: a file at a time */
	void *each_ctx;
	struct devino *files_read; /* owned; skip_seen_files: hash set of
				      the files read, open addressing */
	size_t nread, capread;     /* capread 0 or a power of two */
};

/* cs_load_each: hand what list holds to the callback and empty it. */
static int flush(struct walk *w, struct cs_itemlist *list)
{
	int rc;

	if (!w->each || (list->n == 0 && !list->files_skipped))
		return 0;
	rc = w->each(w->each_ctx, list, w->err);
	cs_itemlist_free(list);
	list->files_read = list->files_skipped = 0;
	return rc;
}

static int devino_cmp(const struct devino *a, const struct devino *b)
{
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return 0;
}

/* Record a directory; returns 1 if it was seen before (a symlink loop or
 * a second way in), 0 if new, -1 when out of memory. */
static int seen_add(struct walk *w, const struct stat *st)
{
	struct devino k = { st->st_dev, st->st_ino }, *n;
	size_t lo = 0, hi = w->nseen, mid;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = devino_cmp(&k, &w->seen[mid]);
		if (cmp == 0)
			return 1;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (w->nseen == w->capseen) {
		size_t cap = w->capseen ? w->capseen * 2 : 16;

		n = reallocarray(w->seen, cap, sizeof(*n));
		if (!n)
			return -1;
		w->seen = n;
		w->capseen = cap;
	}
	memmove(&w->seen[lo + 1], &w->seen[lo],
		(w->nseen - lo) * sizeof(*w->seen));
	w->seen[lo] = k;
	w->nseen++;
	return 0;
}

static size_t devino_hash(const struct devino *k, size_t cap)
{
	uint64_t h = ((uint64_t)k->dev * 0x9e3779b97f4a7c15ULL) ^
		     (uint64_t)k->ino;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (size_t)(h ^ h >> 32) & (cap - 1);
}

/* Put k in the file set (capread > 2 * nread, an empty slot has ino 0
 * and dev 0, which no file has). */
static int files_put(struct devino *set, size_t cap, const struct devino *k)
{
	size_t i = devino_hash(k, cap);

	while (set[i].ino != 0 || set[i].dev != 0) {
		if (devino_cmp(&set[i], k) == 0)
			return 1;
		i = (i + 1) & (cap - 1);
	}
	set[i] = *k;
	return 0;
}

/* Record a regular file; 1 if it was read before (under another name),
 * 0 if new, -1 when out of memory.  A hash set: a tree may hold
 * CS_MAX_DIR_FILES files in any inode order. */
static int file_seen_add(struct walk *w, const struct stat *st)
{
	struct devino k = { st->st_dev, st->st_ino };

	if (k.dev == 0 && k.ino == 0)
		return 0; /* cannot be told apart from an empty slot */
	if (2 * (w->nread + 1) > w->capread) {
		size_t cap = w->capread ? w->capread * 2 : 256;
		struct devino *n = calloc(cap, sizeof(*n));

		if (!n)
			return -1;
		for (size_t i = 0; i < w->capread; i++)
			if (w->files_read[i].ino || w->files_read[i].dev)
				files_put(n, cap, &w->files_read[i]);
		free(w->files_read);
		w->files_read = n;
		w->capread = cap;
	}
	if (files_put(w->files_read, w->capread, &k))
		return 1;
	w->nread++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Sorted entry names of DIR (without . and ..), owned by the caller. */
static int list_dir(const char *dir, char ***out, size_t *nout)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, cap = 0;
	int e;

	*out = NULL;
	*nout = 0;
	d = opendir(dir);
	if (!d)
		return -1;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == CS_MAX_DIR_FILES)
			break; /* the tree-wide count reports the limit */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			nn = reallocarray(names, cap, sizeof(*nn));
			if (!nn)
				goto fail;
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto fail;
		n++;
	}
	if (errno != 0)
		goto fail;
	closedir(d);
	/* Sorted, so the output does not depend on the file system. */
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	*nout = n;
	return 0;
fail:
	e = errno ? errno : ENOMEM;
	closedir(d);
	free_names(names, n);
	errno = e;
	return -1;
}

static int walk_dir(struct walk *w, const char *dir, const struct stat *dst,
		    int depth);

/* One entry of a directory: recurse, load, or skip. */
static int walk_entry(struct walk *w, const char *path, int depth)
{
	struct load_ctx c;
	struct stat st;
	int e;

	load_ctx_init(&c, w->list, w->opts, path, w->err);
	if (++w->files > CS_MAX_DIR_FILES) {
		w->stop = 1;
		return load_push_file_error(&c, CS_E_LIMIT, 0,
					    "more than %zu files in the tree; "
					    "the rest were not read",
					    CS_MAX_DIR_FILES);
	}
	/* stat(), not lstat(): symbolic links are followed, and seen_add()
	 * keeps a link back up the tree from looping. */
	if (stat(path, &st) < 0) {
		e = errno;
		return load_push_file_error(&c, CS_E_IO, e, "%s",
					    strerror(e));
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path, &st, depth + 1);
	if (!S_ISREG(st.st_mode)) {
		/* FIFOs and devices could block or never end. */
		w->list->files_skipped++;
		return 0;
	}
	if (w->opts && w->opts->skip_seen_files) {
		/* a file read before under another name (a hashed
		 * directory's HASH.0 link next to its target) */
		int r = file_seen_add(w, &st);

		if (r < 0)
			return cs_error_set(w->err, CS_E_NOMEM, "%s", path);
		if (r > 0)
			return 0;
	}
	if (w->each) {
		struct cs_itemlist one;
		int rc;

		cs_itemlist_init(&one);
		rc = load_file(&one, path, w->opts, 1, w->err);
		if (rc == 0)
			rc = flush(w, &one);
		cs_itemlist_free(&one);
		return rc;
	}
	return load_file(w->list, path, w->opts, 1, w->err);
}

static int walk_dir(struct walk *w, const char *dir, const struct stat *dst,
		    int depth)
{
	struct load_ctx c;
	char **names = NULL;
	char *path = NULL;
	size_t n = 0, i, dlen = strlen(dir);
	int r, e, rc = 0;

	load_ctx_init(&c, w->list, w->opts, dir, w->err);
	if (depth > CS_MAX_DIR_DEPTH)
		return load_push_file_error(&c, CS_E_LIMIT, 0,
					    "directory is more than %d levels "
					    "deep; not descending into it",
					    CS_MAX_DIR_DEPTH);
	r = seen_add(w, dst);
	if (r < 0)
		return cs_error_set(w->err, CS_E_NOMEM, "%s", dir);
	if (r > 0)
		return 0;
	if (list_dir(dir, &names, &n) < 0) {
		e = errno;
		if (e == ENOMEM)
			return cs_error_set(w->err, CS_E_NOMEM, "%s", dir);
		return load_push_file_error(&c, CS_E_IO, e, "%s",
					    strerror(e));
	}
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	for (i = 0; i < n && rc == 0 && !w->stop; i++) {
		if (asprintf(&path, "%.*s/%s", (int)dlen, dir, names[i]) < 0) {
			path = NULL;
			rc = cs_error_set(w->err, CS_E_NOMEM, "%s", dir);
			break;
		}
		rc = walk_entry(w, path, depth);
		if (rc == 0)
			rc = flush(w, w->list);
		free(path);
		path = NULL;
	}
	free_names(names, n);
	return rc;
}

/* see load_int.h */
int load_dir(struct cs_itemlist *list, const char *path,
	     const struct stat *st, const struct cs_load_opts *opts,
	     struct cs_error *err)
{
	return load_dir_each(list, path, st, opts, NULL, NULL, err);
}

/* see load_int.h; with fn NULL, everything goes into list */
int load_dir_each(struct cs_itemlist *list, const char *path,
		  const struct stat *st, const struct cs_load_opts *opts,
		  cs_load_each_fn fn, void *ctx, struct cs_error *err)
{
	struct walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.list = list;
	w.opts = opts;
	w.err = err;
	w.each = fn;
	w.each_ctx = ctx;
	rc = walk_dir(&w, path, st, 0);
	if (rc == 0)
		rc = flush(&w, list);
	free(w.seen);
	free(w.files_read);
	return rc;
}
