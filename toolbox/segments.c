/* CODE resources as the Segment Loader sees them: CODE 0 (the A5 world's
 * sizes and the jump table) and the near (4-byte) and far (0xFFFF, 40-byte)
 * segment headers. Pure decoding over byte buffers, shared by `vm68k info`
 * and the Segment Loader. */
#include "config.h"

#include "toolbox/toolbox.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
	CODE0_HEADER = 16,
	JT_ENTRY = 8,
	JT_OFFSET = 32, /* the jump table starts 32 bytes above A5 (application parameters below) */
	MOVE_W_IMM_PREDEC_SP = 0x3F3C,
	LOADSEG = 0xA9F0,
	FAR_HEADER = 40,
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool fail(struct resfork_error *err, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct resfork_error *err, uint32_t offset, const char *fmt, ...)
{
	if (err != NULL) {
		err->offset = offset;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return false;
}

bool code0_parse(const uint8_t *d, size_t len, struct code0_info *out, struct resfork_error *err)
{
	memset(out, 0, sizeof *out);
	if (len < CODE0_HEADER)
		return fail(err, 0, "CODE 0 has %zu bytes: expected at least its 16-byte header",
			    len);
	out->above_a5 = be32(d);
	out->below_a5 = be32(d + 4);
	out->jt_size = be32(d + 8);
	out->jt_offset = be32(d + 12);
	if (out->jt_size > len - CODE0_HEADER)
		return fail(
		    err, 8,
		    "jump table length %u runs past the end of CODE 0 (%zu bytes of entries)",
		    out->jt_size, len - CODE0_HEADER);
	if (out->jt_size % JT_ENTRY != 0)
		return fail(err, 8, "jump table length %u: expected a multiple of 8", out->jt_size);
	if (out->jt_offset != JT_OFFSET)
		return fail(err, 12, "jump table offset %u: expected 32", out->jt_offset);
	if ((uint64_t)out->above_a5 < (uint64_t)JT_OFFSET + out->jt_size)
		return fail(err, 0, "above-A5 size %u is smaller than the jump table's end (A5+%u)",
			    out->above_a5, JT_OFFSET + out->jt_size);
	out->entry_count = out->jt_size / JT_ENTRY;
	return true;
}

bool code0_entry(const uint8_t *d, const struct code0_info *info, unsigned index, bool *far_mode,
		 struct jt_entry *out)
{
	if (index >= info->entry_count)
		return false;
	const uint8_t *e = d + CODE0_HEADER + JT_ENTRY * index;
	memset(out, 0, sizeof *out);
	out->a5_offset = JT_OFFSET + JT_ENTRY * index;
	uint32_t w0 = be16(e), w1 = be16(e + 2), w2 = be16(e + 4), w3 = be16(e + 6);
	if (w1 == 0xFFFF && w0 == 0 && w2 == 0 && w3 == 0) {
		out->kind = JT_FAR_FLAG;
		*far_mode = true;
	} else if (!*far_mode && w1 == MOVE_W_IMM_PREDEC_SP && w3 == LOADSEG) {
		out->kind = JT_NEAR;
		out->offset = w0;
		out->segment = (uint16_t)w2;
	} else if (*far_mode && w1 == LOADSEG) {
		out->kind = JT_FAR;
		out->segment = (uint16_t)w0;
		out->offset = be32(e + 4);
	} else {
		out->kind = JT_UNRECOGNIZED;
	}
	return true;
}

bool code_segment_parse(const uint8_t *d, size_t len, struct code_header *out,
			struct resfork_error *err)
{
	memset(out, 0, sizeof *out);
	if (len < 4)
		return fail(err, 0, "CODE segment has %zu bytes: expected at least a 4-byte header",
			    len);
	if (be16(d) == 0xFFFF) {
		if (len < FAR_HEADER)
			return fail(
			    err, 0,
			    "far-model CODE segment (0xFFFF) has %zu bytes: expected at least "
			    "its 40-byte header",
			    len);
		out->far = true;
		out->header_size = FAR_HEADER;
		out->near_entry_offset = be32(d + 0x04);
		out->near_entry_count = be32(d + 0x08);
		out->far_entry_offset = be32(d + 0x0C);
		out->far_entry_count = be32(d + 0x10);
		out->a5_reloc_offset = be32(d + 0x14);
		out->link_a5 = be32(d + 0x18);
		out->seg_reloc_offset = be32(d + 0x1C);
		out->link_load_address = be32(d + 0x20);
		if (out->a5_reloc_offset > len)
			return fail(err, 0x14,
				    "A5 relocation information offset %u is past the end of the "
				    "segment (%zu bytes)",
				    out->a5_reloc_offset, len);
		if (out->seg_reloc_offset > len)
			return fail(
			    err, 0x1C,
			    "segment relocation information offset %u is past the end of the "
			    "segment (%zu bytes)",
			    out->seg_reloc_offset, len);
		return true;
	}
	out->header_size = 4;
	out->first_entry = (uint16_t)be16(d);
	out->entry_count = (uint16_t)be16(d + 2);
	return true;
}
