/* Resource fork reader and writer, on plain byte buffers (no I/O), after
 * Inside Macintosh: More Macintosh Toolbox, "Resource Manager Reference",
 * 1-121 ff. resfork_open() checks every offset once, so the look-ups after
 * it can trust the map; the Resource Manager and `vm68k info` sit on top. */
#include "config.h"

#include "toolbox/toolbox.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sizes fixed by the format. */
enum {
	HEADER_SIZE = 16,
	MAP_HEADER_SIZE = 28, /* header copy 16, next map 4, refnum 2, attrs 2, two list offsets */
	TYPE_ENTRY_SIZE = 8,
	REF_ENTRY_SIZE = 12,
	DATA_AREA_START = 256, /* where the Resource Manager puts the data */
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

char *fourcc_text(uint32_t code, char out[5])
{
	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)(code >> (24 - 8 * i));
		out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[4] = '\0';
	return out;
}

static bool fail(struct resfork_error *err, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct resfork_error *err, uint64_t offset, const char *fmt, ...)
{
	if (err != NULL) {
		err->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return false;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Checks one area [off, off+length) named `what` lies inside the fork. */
static bool area_fits(struct resfork_error *err, size_t len, uint32_t off, uint32_t length,
		      unsigned off_field, unsigned len_field, const char *what)
{
	if (off > len)
		return fail(err, off_field, "%s offset %u is past the end of the fork (size %zu)",
			    what, off, len);
	if (length > len - off)
		return fail(
		    err, len_field,
		    "%s length %u runs past the end of the fork (%s at offset %u, fork size %zu)",
		    what, length, what, off, len);
	if (length > 0 && off < HEADER_SIZE)
		return fail(err, off_field, "%s offset %u overlaps the 16-byte fork header", what,
			    off);
	return true;
}

/* Checks the reference list of one type; `seen` is a 65536-bit set of IDs,
 * all clear on entry and left clear on return. */
static bool check_refs(const struct resfork *rf, uint32_t type, uint32_t refs, uint32_t n,
		       uint8_t *seen, struct resfork_error *err)
{
	char t[5];
	uint32_t map_end = rf->map_offset + rf->map_length;
	uint32_t name_list_len = map_end - rf->name_list;
	bool ok = true;
	uint32_t j;
	for (j = 0; j < n && ok; j++) {
		uint32_t r = refs + REF_ENTRY_SIZE * j;
		const uint8_t *p = rf->bytes + r;
		uint32_t id = be16(p);
		if (seen[id >> 3] & (1u << (id & 7))) {
			ok = fail(err, r, "resource '%s' ID %d appears twice in the reference list",
				  fourcc_text(type, t), (int)(int16_t)id);
			break;
		}
		seen[id >> 3] |= (uint8_t)(1u << (id & 7));
		uint32_t name_off = be16(p + 2);
		if (name_off != 0xFFFF) {
			if (name_off >= name_list_len) {
				ok = fail(
				    err, r + 2,
				    "name offset %u of resource '%s' ID %d is past the end of the "
				    "name list (length %u)",
				    name_off, fourcc_text(type, t), (int)(int16_t)id,
				    name_list_len);
				break;
			}
			uint32_t name_len = rf->bytes[rf->name_list + name_off];
			if (name_len > name_list_len - name_off - 1) {
				ok = fail(err, rf->name_list + name_off,
					  "name of resource '%s' ID %d (%u bytes) runs past the "
					  "end of the "
					  "name list (length %u)",
					  fourcc_text(type, t), (int)(int16_t)id, name_len,
					  name_list_len);
				break;
			}
		}
		uint32_t data_off = be24(p + 5);
		if (rf->data_length < 4 || data_off > rf->data_length - 4) {
			ok = fail(
			    err, r + 5,
			    "data offset %u of resource '%s' ID %d: its 4-byte length runs past "
			    "the resource data (length %u)",
			    data_off, fourcc_text(type, t), (int)(int16_t)id, rf->data_length);
			break;
		}
		uint32_t size = be32(rf->bytes + rf->data_offset + data_off);
		if (size > rf->data_length - data_off - 4) {
			ok = fail(err, rf->data_offset + data_off,
				  "data length %u of resource '%s' ID %d runs past the end of the "
				  "resource data (%u bytes left)",
				  size, fourcc_text(type, t), (int)(int16_t)id,
				  rf->data_length - data_off - 4);
			break;
		}
	}
	/* Leave the set clear for the next type, touching only what we set. */
	uint32_t set = j < n ? j + 1 : n;
	for (uint32_t k = 0; k < set; k++) {
		uint32_t id = be16(rf->bytes + refs + REF_ENTRY_SIZE * k);
		seen[id >> 3] &= (uint8_t) ~(1u << (id & 7));
	}
	return ok;
}

struct data_span {
	uint32_t start, end, ref; /* data entry [start, end) in the fork; its reference */
};

static int compare_spans(const void *a, const void *b)
{
	const struct data_span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* No two resources' data entries (length word and bytes) may overlap: the
 * Resource Manager never writes such a fork, and writing one resource would
 * silently change another. Runs after every reference has been checked. */
static bool check_data_overlap(const struct resfork *rf, struct resfork_error *err)
{
	if (rf->resource_count < 2)
		return true;
	struct data_span *spans = malloc(sizeof *spans * rf->resource_count);
	if (spans == NULL)
		return fail(err, 0, "out of memory");
	size_t k = 0;
	for (unsigned i = 0; i < rf->type_count; i++) {
		const uint8_t *e = rf->bytes + rf->type_list + 2 + TYPE_ENTRY_SIZE * i;
		uint32_t n = be16(e + 4) + 1;
		uint32_t refs = rf->type_list + be16(e + 6);
		for (uint32_t j = 0; j < n; j++, k++) {
			uint32_t r = refs + REF_ENTRY_SIZE * j;
			uint32_t at = rf->data_offset + be24(rf->bytes + r + 5);
			spans[k] = (struct data_span){at, at + 4 + be32(rf->bytes + at), r};
		}
	}
	qsort(spans, k, sizeof *spans, compare_spans);
	bool ok = true;
	uint32_t end = spans[0].end, end_ref = spans[0].ref;
	for (size_t i = 1; i < k && ok; i++) {
		if (spans[i].start < end) {
			char t1[5], t2[5];
			const uint8_t *a = rf->bytes + spans[i].ref, *b = rf->bytes + end_ref;
			uint32_t ta = 0, tb = 0;
			/* Name both resources: find their types from the type list. */
			for (unsigned ti = 0; ti < rf->type_count; ti++) {
				const uint8_t *e =
				    rf->bytes + rf->type_list + 2 + TYPE_ENTRY_SIZE * ti;
				uint32_t first = rf->type_list + be16(e + 6);
				uint32_t last = first + REF_ENTRY_SIZE * (be16(e + 4) + 1);
				if (spans[i].ref >= first && spans[i].ref < last)
					ta = be32(e);
				if (end_ref >= first && end_ref < last)
					tb = be32(e);
			}
			ok = fail(
			    err, spans[i].ref + 5,
			    "data of resource '%s' ID %d (offsets %u to %u) overlaps the data of "
			    "'%s' ID %d, which ends at %u",
			    fourcc_text(ta, t1), (int)(int16_t)be16(a), spans[i].start,
			    spans[i].end, fourcc_text(tb, t2), (int)(int16_t)be16(b), end);
		}
		if (spans[i].end > end) {
			end = spans[i].end;
			end_ref = spans[i].ref;
		}
	}
	free(spans);
	return ok;
}

bool resfork_open(struct resfork *rf, const uint8_t *buf, size_t len, struct resfork_error *err)
{
	memset(rf, 0, sizeof *rf);
	if (len < HEADER_SIZE)
		return fail(err, 0, "a resource fork header needs 16 bytes, the fork has %zu", len);
	if (len > UINT32_MAX)
		return fail(err, 0, "a resource fork of %zu bytes is larger than 4 GiB", len);
	rf->bytes = buf;
	rf->len = len;
	rf->data_offset = be32(buf);
	rf->map_offset = be32(buf + 4);
	rf->data_length = be32(buf + 8);
	rf->map_length = be32(buf + 12);
	if (!area_fits(err, len, rf->data_offset, rf->data_length, 0, 8, "resource data") ||
	    !area_fits(err, len, rf->map_offset, rf->map_length, 4, 12, "resource map"))
		return false;
	uint32_t d = rf->data_offset, dl = rf->data_length, m = rf->map_offset, ml = rf->map_length;
	if (dl > 0 && d < m + ml && m < d + dl)
		return fail(
		    err, 4,
		    "resource map (offsets %u to %u) overlaps the resource data (offsets %u "
		    "to %u)",
		    m, m + ml, d, d + dl);
	if (ml < MAP_HEADER_SIZE + 2)
		return fail(err, 12,
			    "map length %u is shorter than a map header and type count (30 bytes)",
			    ml);
	rf->attributes = (uint16_t)be16(buf + m + 22);
	uint32_t tlo = be16(buf + m + 24), nlo = be16(buf + m + 26);
	if (tlo < MAP_HEADER_SIZE || tlo > ml - 2)
		return fail(err, m + 24,
			    "type list offset %u: expected from 28 (end of the map header) to %u "
			    "(end of the map, length %u)",
			    tlo, ml - 2, ml);
	if (nlo > ml)
		return fail(err, m + 26,
			    "name list offset %u is past the end of the map (length %u)", nlo, ml);
	rf->type_list = m + tlo;
	rf->name_list = m + nlo;
	rf->type_count = (be16(buf + rf->type_list) + 1) & 0xFFFF;
	uint32_t types_end = tlo + 2 + TYPE_ENTRY_SIZE * rf->type_count; /* map-relative */
	if (types_end > ml)
		return fail(err, rf->type_list,
			    "type list of %u types (8 bytes each) runs past the end of the map "
			    "(length %u)",
			    rf->type_count, ml);

	uint32_t *types = malloc(sizeof *types * (rf->type_count ? rf->type_count : 1));
	uint8_t *seen = calloc(8192, 1);
	if (types == NULL || seen == NULL) {
		free(types);
		free(seen);
		return fail(err, 0, "out of memory");
	}
	bool ok = true;
	char t[5];
	for (unsigned i = 0; i < rf->type_count && ok; i++) {
		uint32_t e = rf->type_list + 2 + TYPE_ENTRY_SIZE * i;
		uint32_t type = be32(buf + e);
		uint32_t n = be16(buf + e + 4) + 1;
		uint32_t rlo = be16(buf + e + 6); /* from the type list */
		uint32_t refs = tlo + rlo;	  /* map-relative */
		types[i] = type;
		if (refs < types_end)
			ok = fail(err, e + 6,
				  "reference list offset %u of type '%s' points into the type list "
				  "(expected %u or more)",
				  rlo, fourcc_text(type, t), types_end - tlo);
		else if ((uint64_t)refs + (uint64_t)REF_ENTRY_SIZE * n > ml)
			ok = fail(
			    err, e + 4,
			    "reference list of type '%s' (%u entries at map offset %u) runs past "
			    "the end of the map (length %u)",
			    fourcc_text(type, t), n, refs, ml);
		else
			ok = check_refs(rf, type, m + refs, n, seen, err);
		rf->resource_count += n;
	}
	if (ok && rf->type_count > 1) {
		qsort(types, rf->type_count, sizeof *types, compare_u32);
		for (unsigned i = 1; i < rf->type_count && ok; i++)
			if (types[i] == types[i - 1]) {
				/* Name the second entry of the pair in map order. */
				unsigned seen_once = 0;
				for (unsigned k = 0; k < rf->type_count; k++) {
					uint32_t e = rf->type_list + 2 + TYPE_ENTRY_SIZE * k;
					if (be32(buf + e) == types[i] && seen_once++) {
						ok =
						    fail(err, e,
							 "type '%s' appears twice in the type list",
							 fourcc_text(types[i], t));
						break;
					}
				}
			}
	}
	free(types);
	free(seen);
	if (ok)
		ok = check_data_overlap(rf, err);
	if (!ok)
		memset(rf, 0, sizeof *rf);
	return ok;
}

unsigned resfork_type_count(const struct resfork *rf)
{
	return rf->type_count;
}

bool resfork_type_at(const struct resfork *rf, unsigned index, uint32_t *type, unsigned *count)
{
	if (index >= rf->type_count)
		return false;
	const uint8_t *e = rf->bytes + rf->type_list + 2 + TYPE_ENTRY_SIZE * index;
	if (type)
		*type = be32(e);
	if (count)
		*count = be16(e + 4) + 1;
	return true;
}

size_t resfork_count(const struct resfork *rf)
{
	return rf->resource_count;
}

/* Fills out from the j'th reference of the type entry at type-list index i. */
static void describe(const struct resfork *rf, unsigned i, unsigned j, struct resource_info *out)
{
	const uint8_t *e = rf->bytes + rf->type_list + 2 + TYPE_ENTRY_SIZE * i;
	const uint8_t *r = rf->bytes + rf->type_list + be16(e + 6) + REF_ENTRY_SIZE * j;
	memset(out, 0, sizeof *out);
	out->type = be32(e);
	out->id = (int16_t)be16(r);
	uint32_t name_off = be16(r + 2);
	out->attributes = r[4];
	if (name_off != 0xFFFF) {
		out->has_name = true;
		out->name_length = rf->bytes[rf->name_list + name_off];
		out->name = rf->bytes + rf->name_list + name_off + 1;
	}
	uint32_t at = rf->data_offset + be24(r + 5);
	out->size = be32(rf->bytes + at);
	out->data_offset = at + 4;
	out->data = rf->bytes + at + 4;
}

bool resfork_at(const struct resfork *rf, size_t index, struct resource_info *out)
{
	for (unsigned i = 0; i < rf->type_count; i++) {
		unsigned n;
		resfork_type_at(rf, i, NULL, &n);
		if (index < n) {
			describe(rf, i, (unsigned)index, out);
			return true;
		}
		index -= n;
	}
	return false;
}

/* Type list index of type, or -1. */
static long find_type(const struct resfork *rf, uint32_t type)
{
	for (unsigned i = 0; i < rf->type_count; i++) {
		uint32_t t;
		resfork_type_at(rf, i, &t, NULL);
		if (t == type)
			return i;
	}
	return -1;
}

bool resfork_at_of_type(const struct resfork *rf, uint32_t type, unsigned index,
			struct resource_info *out)
{
	long i = find_type(rf, type);
	unsigned n;
	if (i < 0 || !resfork_type_at(rf, (unsigned)i, NULL, &n) || index >= n)
		return false;
	describe(rf, (unsigned)i, index, out);
	return true;
}

bool resfork_find(const struct resfork *rf, uint32_t type, int16_t id, struct resource_info *out)
{
	long i = find_type(rf, type);
	unsigned n;
	if (i < 0 || !resfork_type_at(rf, (unsigned)i, NULL, &n))
		return false;
	for (unsigned j = 0; j < n; j++) {
		describe(rf, (unsigned)i, j, out);
		if (out->id == id)
			return true;
	}
	return false;
}

bool resfork_find_named(const struct resfork *rf, uint32_t type, const uint8_t *name,
			size_t name_length, struct resource_info *out)
{
	long i = find_type(rf, type);
	unsigned n;
	if (i < 0 || !resfork_type_at(rf, (unsigned)i, NULL, &n))
		return false;
	for (unsigned j = 0; j < n; j++) {
		describe(rf, (unsigned)i, j, out);
		if (out->has_name && out->name_length == name_length &&
		    memcmp(out->name, name, name_length) == 0)
			return true;
	}
	return false;
}

uint8_t *resfork_build(const struct resource_spec *res, size_t n, size_t *len)
{
	/* Group by type in order of first appearance; order[] lists resources
	 * type by type, type_first[] the distinct types. */
	size_t *order = malloc(sizeof *order * (n ? n : 1));
	uint32_t *type_of = malloc(sizeof *type_of * (n ? n : 1));
	size_t *type_n = calloc(n ? n : 1, sizeof *type_n);
	uint8_t *out = NULL;
	if (order == NULL || type_of == NULL || type_n == NULL)
		goto done;
	size_t ntypes = 0, k = 0;
	uint64_t data_len = 0, names_len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t t;
		for (t = 0; t < ntypes && type_of[t] != res[i].type; t++)
			;
		if (t == ntypes) {
			type_of[ntypes++] = res[i].type;
			for (size_t j = i; j < n; j++)
				if (res[j].type == res[i].type) {
					for (size_t q = i; q < j; q++)
						if (res[q].type == res[j].type &&
						    res[q].id == res[j].id)
							goto done; /* duplicate type/ID */
					order[k++] = j;
					type_n[t]++;
				}
		}
		data_len += 4 + (uint64_t)res[i].size;
		if (res[i].name != NULL) {
			size_t nl = strlen(res[i].name);
			if (nl > 255)
				goto done;
			names_len += 1 + nl;
		}
	}
	if (ntypes > 65536)
		goto done;
	uint64_t lists =
	    MAP_HEADER_SIZE + 2 + (uint64_t)TYPE_ENTRY_SIZE * ntypes + (uint64_t)REF_ENTRY_SIZE * n;
	if (data_len > 0xFFFFFF || lists > 0xFFFF || names_len > 0xFFFF)
		goto done;
	uint64_t map_len = lists + names_len;
	uint64_t total = DATA_AREA_START + data_len + map_len;
	out = calloc(1, (size_t)total);
	if (out == NULL)
		goto done;
	uint32_t d = DATA_AREA_START, m = (uint32_t)(DATA_AREA_START + data_len);
	put32(out, d);
	put32(out + 4, m);
	put32(out + 8, (uint32_t)data_len);
	put32(out + 12, (uint32_t)map_len);
	memcpy(out + m, out, HEADER_SIZE);
	put16(out + m + 24, MAP_HEADER_SIZE);
	put16(out + m + 26, (uint32_t)lists);
	uint32_t tl = m + MAP_HEADER_SIZE;
	put16(out + tl, (uint32_t)(ntypes - 1));	       /* 0xFFFF when empty, as on a Mac */
	uint32_t ref = 2 + TYPE_ENTRY_SIZE * (uint32_t)ntypes; /* from the type list */
	uint32_t data_at = 0, name_at = 0;
	k = 0;
	for (size_t t = 0; t < ntypes; t++) {
		uint8_t *e = out + tl + 2 + TYPE_ENTRY_SIZE * t;
		put32(e, type_of[t]);
		put16(e + 4, (uint32_t)(type_n[t] - 1));
		put16(e + 6, ref);
		for (size_t j = 0; j < type_n[t]; j++, k++, ref += REF_ENTRY_SIZE) {
			const struct resource_spec *s = &res[order[k]];
			uint8_t *r = out + tl + ref;
			put16(r, (uint16_t)s->id);
			if (s->name != NULL) {
				size_t nl = strlen(s->name);
				put16(r + 2, name_at);
				out[m + lists + name_at] = (uint8_t)nl;
				memcpy(out + m + lists + name_at + 1, s->name, nl);
				name_at += 1 + (uint32_t)nl;
			} else {
				put16(r + 2, 0xFFFF);
			}
			r[4] = s->attributes;
			put24(r + 5, data_at);
			put32(out + d + data_at, s->size);
			if (s->size)
				memcpy(out + d + data_at + 4, s->data, s->size);
			data_at += 4 + s->size;
		}
	}
	*len = (size_t)total;
done:
	free(order);
	free(type_of);
	free(type_n);
	return out;
}
