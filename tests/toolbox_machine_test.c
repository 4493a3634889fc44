/* The Mac machine in-process, on hand-assembled applications (no cross
 * compiler needed): a far-model segment (40-byte header, far jump table
 * entry, A5 and segment relocation applied at each load), a routine
 * descriptor with the 68K ISA reached by executing $AAFE, an auto-pop
 * Toolbox trap, and the OS trap rule that A0 survives unless bit 8 is set. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "pager/pager.h"
#include "toolbox/toolbox.h"

static const uint16_t *words_end;

/* Big-endian bytes from a list of words. */
static size_t put_words(uint8_t *out, const uint16_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(w[i] >> 8);
		out[2 * i + 1] = (uint8_t)w[i];
	}
	(void)words_end;
	return 2 * n;
}

static char log_text[4096];
static void on_log(void *ctx, const char *line)
{
	(void)ctx;
	strncat(log_text, line, sizeof log_text - strlen(log_text) - 2);
	strcat(log_text, "\n");
}

/* Runs the application made of CODE 0 and CODE 1..n on a 1 MiB machine
 * without VM; returns the result. */
static struct toolbox_result run(const struct resource_spec *res, size_t n)
{
	size_t len;
	uint8_t *fork = resfork_build(res, n, &len);
	assert_non_null(fork);
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = pc.vm_bytes = 1u << 20;
	char err[300];
	struct pager *p = pager_create(&pc, err, sizeof err);
	assert_non_null(p);
	static const uint8_t name[] = "\x04test";
	struct toolbox_config cfg = {.cpu_model = CPU_68030,
				     .rsrc = fork,
				     .rsrc_len = len,
				     .name = name,
				     .max_instructions = 100000,
				     .log = on_log};
	bool bad;
	log_text[0] = '\0';
	struct toolbox *tb = toolbox_create(p, &cfg, &bad, err, sizeof err);
	if (tb == NULL)
		fail_msg("toolbox_create: %s", err);
	struct toolbox_result r;
	toolbox_run(tb, &r);
	toolbox_destroy(tb);
	pager_destroy(p);
	free(fork);
	return r;
}

#define CODE 0x434F4445u

/* CODE 0 with entry 0 (near, CODE 1 offset 0), then more raw entries. */
static size_t code0(uint8_t *out, const uint16_t *extra, size_t nextra)
{
	uint16_t w[8 + 4 + 64];
	size_t jt = 8 + 2 * nextra; /* bytes */
	uint32_t above = 32 + (uint32_t)jt;
	size_t n = 0;
	w[n++] = (uint16_t)(above >> 16);
	w[n++] = (uint16_t)above;
	w[n++] = 0;
	w[n++] = 16; /* below A5 */
	w[n++] = 0;
	w[n++] = (uint16_t)jt;
	w[n++] = 0;
	w[n++] = 32;
	w[n++] = 0x0000; /* entry 0: offset 0 */
	w[n++] = 0x3F3C;
	w[n++] = 0x0001;
	w[n++] = 0xA9F0;
	for (size_t i = 0; i < nextra; i++)
		w[n++] = extra[i];
	return put_words(out, w, n);
}

static void far_segment_is_relocated_and_called_through_its_far_entry(void **state)
{
	(void)state;
	uint8_t c0[64], c1[64], c2[0x4C];
	/* entries 1 (far flag) and 2 (far: CODE 2, routine at offset $28) */
	static const uint16_t far_entries[] = {0x0000, 0xFFFF, 0x0000, 0x0000,
					       0x0002, 0xA9F0, 0x0000, 0x0028};
	size_t n0 = code0(c0, far_entries, 8);
	/* CODE 1: call entry 2 (A5+50), unload it, clear the global, call
	 * again, check the global, ExitToShell; else SysError 99. */
	static const uint16_t code1[] = {
	    0x0000, 0x0001,	    /* near header: first entry 0, one entry */
	    0x4EAD, 0x0032,	    /* JSR 50(A5) */
	    0x486D, 0x0032,	    /* PEA 50(A5) */
	    0xA9F1,		    /* _UnloadSeg */
	    0x42AD, 0xFFF8,	    /* CLR.L -8(A5) */
	    0x4EAD, 0x0032,	    /* JSR 50(A5) */
	    0x222D, 0xFFF8,	    /* MOVE.L -8(A5),D1 */
	    0x0C81, 0x1234, 0x5678, /* CMPI.L #$12345678,D1 */
	    0x6602,		    /* BNE.S fail */
	    0xA9F4,		    /* _ExitToShell */
	    0x7063,		    /* fail: MOVEQ #99,D0 */
	    0xA9C9,		    /* _SysError */
	};
	size_t n1 = put_words(c1, code1, sizeof code1 / 2);
	static const uint16_t code2[] = {
	    0xFFFF, 0x0000,	    /* far header */
	    0x0000, 0x0020, 0x0000, 0x0000, /* near entries: A5+32, none */
	    0x0000, 0x0030, 0x0000, 0x0001, /* far entries: A5+48, one */
	    0x0000, 0x0044, 0x0000, 0x0000, /* A5 relocation at $44; linked with A5 = 0 */
	    0x0000, 0x0048, 0x0000, 0x0000, /* segment relocation at $48; linked at 0 */
	    0x0000, 0x0000,		    /* reserved */
	    0x207C, 0x0000, 0x0040, /* $28: MOVEA.L #$40,A0 (segment-relative) */
	    0x2010,		    /* MOVE.L (A0),D0 */
	    0x227C, 0xFFFF, 0xFFF8, /* MOVEA.L #-8,A1 (A5-relative) */
	    0x2280,		    /* MOVE.L D0,(A1) */
	    0x4E75,		    /* RTS */
	    0x4E71, 0x4E71, 0x4E71, /* to $40 */
	    0x1234, 0x5678,	    /* $40: the data */
	    0x1900, 0x0000,	    /* $44: A5 list: $32 (halved: $19); end */
	    0x1500, 0x0000,	    /* $48: segment list: $2A; end */
	};
	size_t n2 = put_words(c2, code2, sizeof code2 / 2);
	struct resource_spec res[] = {
	    {CODE, 0, 0, NULL, c0, (uint32_t)n0},
	    {CODE, 1, 0, NULL, c1, (uint32_t)n1},
	    {CODE, 2, 0, NULL, c2, (uint32_t)n2},
	};
	struct toolbox_result r = run(res, 3);
	assert_string_equal(r.reason, "ExitToShell");
	assert_int_equal(r.status, 0);
	assert_int_equal(r.segment_loads, 3); /* CODE 1, CODE 2 twice */
	assert_int_equal(r.segment_reads, 2); /* CODE 2 was not purged in between */
}

static void descriptor_with_68k_isa_runs_68k_code_and_auto_pop_returns_to_caller(void **state)
{
	(void)state;
	uint8_t c0[64], c1[256];
	size_t n0 = code0(c0, NULL, 0);
	/* Builds a routine descriptor (ISA kM68kISA) on the stack pointing at
	 * `routine`, JSRs to it; the routine sets D3 to 42. Then an auto-pop
	 * TickCount ($AD75) reached by BSR to a glue word must return to after
	 * the BSR. Then GetPtrSize is patched with 68K code that clears A0:
	 * called as $A021 (bit 8 clear) the dispatcher restores A0; as $A121
	 * (bit 8 set: A0 is a result) it does not. Any failure: SysError 99. */
	static const uint16_t code1[] = {
	    0x0000, 0x0001, /* near header */
	    0x4E56, 0xFFE0, /* LINK A6,#-32 */
	    0x3D7C, 0xAAFE, 0xFFE0, 0x1D7C, 0x0007, 0xFFE2, /* $AAFE, version 7 */
	    0x42AE, 0xFFE4, 0x42AE, 0xFFE8, 0x42AE, 0xFFEC, 0x42AE, 0xFFF0, /* procInfo, ISA 0 */
	    0x41FA, 0x0050, 0x2D48, 0xFFF4, /* procDescriptor = routine */
	    0x7600, 0x4EAE, 0xFFE0,	      /* MOVEQ #0,D3; JSR -32(A6) */
	    0x0C83, 0x0000, 0x002A, 0x6600, 0x0038, /* CMPI.L #42,D3; BNE fail */
	    0x42A7, 0x6100, 0x003A, 0x201F,	/* CLR.L -(SP); BSR glue; MOVE.L (SP)+,D0 */
	    0x41FA, 0x0036, 0x303C, 0xA021, 0xA247, /* LEA patch,A0; MOVE.W #$A021,D0; _SetOSTrapAddress */
	    0x41F9, 0x1234, 0x5678, 0xA021,	/* LEA $12345678,A0; _GetPtrSize */
	    0xB1FC, 0x1234, 0x5678, 0x6600, 0x0014, /* CMPA.L #$12345678,A0; BNE fail */
	    0x41F9, 0x1234, 0x5678, 0xA121,	/* LEA $12345678,A0; _GetPtrSize with bit 8 */
	    0x2008, 0x6600, 0x0006,		/* MOVE.L A0,D0; BNE fail */
	    0x4E5E, 0xA9F4,			/* UNLK A6; _ExitToShell */
	    0x7063, 0xA9C9,			/* fail: MOVEQ #99,D0; _SysError */
	    0x762A, 0x4E75,			/* routine: MOVEQ #42,D3; RTS */
	    0xAD75,				/* glue: _TickCount with auto-pop */
	    0x91C8, 0x7000, 0x4E75,		/* patch: SUBA.L A0,A0; MOVEQ #0,D0; RTS */
	};
	size_t n1 = put_words(c1, code1, sizeof code1 / 2);
	struct resource_spec res[] = {
	    {CODE, 0, 0, NULL, c0, (uint32_t)n0},
	    {CODE, 1, 0, NULL, c1, (uint32_t)n1},
	};
	struct toolbox_result r = run(res, 2);
	assert_string_equal(r.reason, "ExitToShell");
	assert_int_equal(r.status, 0);
}

static void an_unimplemented_os_trap_stops_the_run_naming_it(void **state)
{
	(void)state;
	uint8_t c0[64], c1[16];
	size_t n0 = code0(c0, NULL, 0);
	static const uint16_t code1[] = {0x0000, 0x0001, 0x7000, 0xA03C, 0xA9F4}; /* _CmpString */
	size_t n1 = put_words(c1, code1, sizeof code1 / 2);
	struct resource_spec res[] = {
	    {CODE, 0, 0, NULL, c0, (uint32_t)n0},
	    {CODE, 1, 0, NULL, c1, (uint32_t)n1},
	};
	struct toolbox_result r = run(res, 2);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.reason, "Unimplemented trap A03C (CmpString) at PC "));
	assert_int_equal(r.pc, strtoul(strstr(r.reason, "PC ") + 3, NULL, 16));
}

static void a_fork_without_code_0_is_refused_as_bad_input(void **state)
{
	(void)state;
	static const uint8_t data[] = {1, 2, 3, 4};
	struct resource_spec res[] = {{0x53495A45u /* 'SIZE' */, -1, 0, NULL, data, 4}};
	size_t len;
	uint8_t *fork = resfork_build(res, 1, &len);
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = pc.vm_bytes = 1u << 20;
	char err[300];
	struct pager *p = pager_create(&pc, err, sizeof err);
	assert_non_null(p);
	struct toolbox_config cfg = {.cpu_model = CPU_68030, .rsrc = fork, .rsrc_len = len};
	bool bad = false;
	assert_null(toolbox_create(p, &cfg, &bad, err, sizeof err));
	assert_true(bad);
	assert_non_null(strstr(err, "CODE 0"));
	/* VM on a 68000 is refused too, as a configuration error. */
	cfg.cpu_model = CPU_68000;
	cfg.vm = true;
	assert_null(toolbox_create(p, &cfg, &bad, err, sizeof err));
	assert_false(bad);
	assert_non_null(strstr(err, "MMU"));
	pager_destroy(p);
	free(fork);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(far_segment_is_relocated_and_called_through_its_far_entry),
	    cmocka_unit_test(descriptor_with_68k_isa_runs_68k_code_and_auto_pop_returns_to_caller),
	    cmocka_unit_test(an_unimplemented_os_trap_stops_the_run_naming_it),
	    cmocka_unit_test(a_fork_without_code_0_is_refused_as_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
