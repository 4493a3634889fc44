/* guest/insn_table.c: the one description of the 68K instruction set. The
 * decoder's 65536-entry handler table per model is built from it here; the
 * disassembler and the tests' instruction generator are to read the same
 * rows (pattern, size, allowed modes, syntax).
 *
 * Syntax tokens (comma-separated operands, for the disassembler):
 *   E   the 'E' field (bits 5-0)         e   MOVE's destination (bits 11-6)
 *   D9  Dn in bits 11-9   D0 Dn in bits 2-0   A9/A0 likewise for An
 *   -A9 -A0  predecrement An    +A0 +A9  postincrement An
 *   #i  immediate of the operation size   #q  3-bit quick (0 = 8)
 *   #b  8-bit signed data (MOVEQ)    #v  4-bit vector (TRAP)    #w  word
 *   #x  bit number word (BTST #)     B   branch target (8/16/32)
 *   W   word displacement target (DBcc)   d16A0  d16(An) (MOVEP)
 *   L   MOVEM register list      CCR SR USP  those registers
 *   C   control register (MOVEC)   S  shift count (#q or D9)
 *   R   register from the extension word (bits 15-12)   Dc Du Dh Dl Dq Dr
 *       extension-word data registers   {o:w}  bit field offset:width
 *   K   040 cache selector (NC DC IC BC)   (A0)  (An) in bits 2-0
 *   M16 MOVE16's absolute forms   A|B  alternatives chosen by an ext bit */
#include "config.h"
#include <string.h>
#include "guest/cpu_internal.h"
#include "guest/ops.h"

// clang-format off
#define ROW(mn, pat, sz, src, dst, models, syn, fn) { mn, pat, sz, src, dst, models, syn, fn, NULL, FC_NONE }
/* a row the decoded-instruction cache specialises (see enum fast_class) */
#define ROWF(mn, pat, sz, src, dst, models, syn, fn, fast) { mn, pat, sz, src, dst, models, syn, fn, NULL, fast }
/* a row with a provider of specialised handlers (see insn_desc.special) */
#define ROWX(mn, pat, sz, src, dst, models, syn, fn, special, fast) { mn, pat, sz, src, dst, models, syn, fn, special, fast }
// clang-format on

/* clang-format off: one row per line reads as a table */
// clang-format off
const struct insn_desc insn_table[] = {
	/* immediate */
	ROW("ORI", "0000000000111100", SZ_B, 0, 0, M_ALL, "#i,CCR", op_ori_ccr),
	ROW("ORI", "0000000001111100", SZ_W, 0, 0, M_ALL, "#i,SR", op_ori_sr),
	ROWF("ORI", "00000000SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "#i,E", op_ori, FC_ORI),
	ROW("ANDI", "0000001000111100", SZ_B, 0, 0, M_ALL, "#i,CCR", op_andi_ccr),
	ROW("ANDI", "0000001001111100", SZ_W, 0, 0, M_ALL, "#i,SR", op_andi_sr),
	ROWF("ANDI", "00000010SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "#i,E", op_andi, FC_ANDI),
	ROWF("SUBI", "00000100SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "#i,E", op_subi, FC_SUBI),
	ROWF("ADDI", "00000110SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "#i,E", op_addi, FC_ADDI),
	ROW("EORI", "0000101000111100", SZ_B, 0, 0, M_ALL, "#i,CCR", op_eori_ccr),
	ROW("EORI", "0000101001111100", SZ_W, 0, 0, M_ALL, "#i,SR", op_eori_sr),
	ROWF("EORI", "00001010SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "#i,E", op_eori, FC_EORI),
	ROWF("CMPI", "00001100SSEEEEEE", SZ_67, AM_DALT, 0, M_000 | M_010, "#i,E", op_cmpi, FC_CMPI),
	ROWF("CMPI", "00001100SSEEEEEE", SZ_67, AM_DATA & ~AM_IMM, 0, M_020UP, "#i,E", op_cmpi, FC_CMPI),
	/* bits */
	ROW("BTST", "0000rrr100EEEEEE", SZ_B, AM_DATA, 0, M_ALL, "D9,E", op_bit_dn),
	ROW("BCHG", "0000rrr101EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "D9,E", op_bit_dn),
	ROW("BCLR", "0000rrr110EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "D9,E", op_bit_dn),
	ROW("BSET", "0000rrr111EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "D9,E", op_bit_dn),
	ROW("BTST", "0000100000EEEEEE", SZ_B, AM_DATA & ~AM_IMM, 0, M_ALL, "#x,E", op_bit_imm),
	ROW("BCHG", "0000100001EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "#x,E", op_bit_imm),
	ROW("BCLR", "0000100010EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "#x,E", op_bit_imm),
	ROW("BSET", "0000100011EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "#x,E", op_bit_imm),
	ROW("MOVEP", "0000rrr100001aaa", SZ_W, 0, 0, M_ALL, "d16A0,D9", op_movep),
	ROW("MOVEP", "0000rrr101001aaa", SZ_L, 0, 0, M_ALL, "d16A0,D9", op_movep),
	ROW("MOVEP", "0000rrr110001aaa", SZ_W, 0, 0, M_ALL, "D9,d16A0", op_movep),
	ROW("MOVEP", "0000rrr111001aaa", SZ_L, 0, 0, M_ALL, "D9,d16A0", op_movep),
	/* moves */
	ROWX("MOVE", "0001eeeeeeEEEEEE", SZ_B, AM_ALL, AM_DALT, M_ALL, "E,e", op_move, move_special, FC_MOVE),
	ROWX("MOVE", "0010eeeeeeEEEEEE", SZ_L, AM_ALL, AM_DALT, M_ALL, "E,e", op_move, move_special, FC_MOVE),
	ROWX("MOVE", "0011eeeeeeEEEEEE", SZ_W, AM_ALL, AM_DALT, M_ALL, "E,e", op_move, move_special, FC_MOVE),
	ROWF("MOVEA", "0010rrr001EEEEEE", SZ_L, AM_ALL, 0, M_ALL, "E,A9", op_movea, FC_MOVEA),
	ROWF("MOVEA", "0011rrr001EEEEEE", SZ_W, AM_ALL, 0, M_ALL, "E,A9", op_movea, FC_MOVEA),
	/* miscellaneous (line 4) */
	ROW("NEGX", "01000000SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "E", op_negx),
	ROW("MOVE", "0100000011EEEEEE", SZ_W, AM_DALT, 0, M_ALL, "SR,E", op_move_from_sr),
	ROW("CHK", "0100rrr110EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,D9", op_chk),
	ROWF("LEA", "0100rrr111EEEEEE", SZ_L, AM_CTL, 0, M_ALL, "E,A9", op_lea, FC_LEA),
	ROWF("CLR", "01000010SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "E", op_clr, FC_CLR),
	ROW("MOVE", "0100001011EEEEEE", SZ_W, AM_DALT, 0, M_010UP, "CCR,E", op_move_from_ccr),
	ROW("NEG", "01000100SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "E", op_neg),
	ROW("MOVE", "0100010011EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,CCR", op_move_to_ccr),
	ROW("NOT", "01000110SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "E", op_not),
	ROW("MOVE", "0100011011EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,SR", op_move_to_sr),
	ROW("NBCD", "0100100000EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "E", op_nbcd),
	ROW("SWAP", "0100100001000rrr", SZ_W, 0, 0, M_ALL, "D0", op_swap),
	ROW("PEA", "0100100001EEEEEE", SZ_L, AM_CTL, 0, M_ALL, "E", op_pea),
	ROW("EXT", "0100100010000rrr", SZ_W, 0, 0, M_ALL, "D0", op_ext),
	ROW("EXT", "0100100011000rrr", SZ_L, 0, 0, M_ALL, "D0", op_ext),
	ROW("EXTB", "0100100111000rrr", SZ_L, 0, 0, M_020UP, "D0", op_ext),
	ROW("MOVEM", "0100100010EEEEEE", SZ_W, AM_CALT | AM_PRE, 0, M_ALL, "L,E", op_movem_to_mem),
	ROW("MOVEM", "0100100011EEEEEE", SZ_L, AM_CALT | AM_PRE, 0, M_ALL, "L,E", op_movem_to_mem),
	ROWF("TST", "01001010SSEEEEEE", SZ_67, AM_DALT, 0, M_000 | M_010, "E", op_tst, FC_TST),
	ROWF("TST", "01001010SSEEEEEE", SZ_67, AM_ALL, 0, M_020UP, "E", op_tst, FC_TST),
	ROW("TAS", "0100101011EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "E", op_tas),
	ROW("ILLEGAL", "0100101011111100", SZ_NONE, 0, 0, M_ALL, "", op_illegal),
	ROW("MOVEM", "0100110010EEEEEE", SZ_W, AM_CTL | AM_POST, 0, M_ALL, "E,L", op_movem_to_reg),
	ROW("MOVEM", "0100110011EEEEEE", SZ_L, AM_CTL | AM_POST, 0, M_ALL, "E,L", op_movem_to_reg),
	ROW("TRAP", "010011100100vvvv", SZ_NONE, 0, 0, M_ALL, "#v", op_trap),
	ROW("LINK", "0100111001010rrr", SZ_W, 0, 0, M_ALL, "A0,#w", op_link),
	ROW("LINK", "0100100000001rrr", SZ_L, 0, 0, M_020UP, "A0,#i", op_link_l),
	ROW("UNLK", "0100111001011rrr", SZ_NONE, 0, 0, M_ALL, "A0", op_unlk),
	ROW("MOVE", "0100111001100rrr", SZ_L, 0, 0, M_ALL, "A0,USP", op_move_usp),
	ROW("MOVE", "0100111001101rrr", SZ_L, 0, 0, M_ALL, "USP,A0", op_move_usp),
	ROW("RESET", "0100111001110000", SZ_NONE, 0, 0, M_ALL, "", op_reset),
	ROWF("NOP", "0100111001110001", SZ_NONE, 0, 0, M_ALL, "", op_nop, FC_NOP),
	ROW("STOP", "0100111001110010", SZ_NONE, 0, 0, M_ALL, "#w", op_stop),
	ROW("RTE", "0100111001110011", SZ_NONE, 0, 0, M_ALL, "", op_rte),
	ROW("RTD", "0100111001110100", SZ_NONE, 0, 0, M_010UP, "#w", op_rtd),
	ROWF("RTS", "0100111001110101", SZ_NONE, 0, 0, M_ALL, "", op_rts, FC_RTS),
	ROW("TRAPV", "0100111001110110", SZ_NONE, 0, 0, M_ALL, "", op_trapv),
	ROW("RTR", "0100111001110111", SZ_NONE, 0, 0, M_ALL, "", op_rtr),
	ROWF("JSR", "0100111010EEEEEE", SZ_NONE, AM_CTL, 0, M_ALL, "E", op_jsr, FC_JSR),
	ROWF("JMP", "0100111011EEEEEE", SZ_NONE, AM_CTL, 0, M_ALL, "E", op_jmp, FC_JMP),
	/* line 5 */
	ROWF("ADDQ", "0101qqq0SSEEEEEE", SZ_67, AM_ALT, 0, M_ALL, "#q,E", op_addq, FC_ADDQ),
	ROWF("SUBQ", "0101qqq1SSEEEEEE", SZ_67, AM_ALT, 0, M_ALL, "#q,E", op_subq, FC_SUBQ),
	ROW("Scc", "0101cccc11EEEEEE", SZ_B, AM_DALT, 0, M_ALL, "E", op_scc),
	ROWF("DBcc", "0101cccc11001rrr", SZ_W, 0, 0, M_ALL, "D0,W", op_dbcc, FC_DBCC),
	/* line 6 */
	ROWF("BRA", "01100000dddddddd", SZ_NONE, 0, 0, M_ALL, "B", op_bcc, FC_BCC),
	ROWF("BSR", "01100001dddddddd", SZ_NONE, 0, 0, M_ALL, "B", op_bsr, FC_BSR),
	ROWF("Bcc", "0110ccccdddddddd", SZ_NONE, 0, 0, M_ALL, "B", op_bcc, FC_BCC),
	/* line 7 */
	ROWF("MOVEQ", "0111rrr0dddddddd", SZ_L, 0, 0, M_ALL, "#b,D9", op_moveq, FC_MOVEQ),
	/* line 8 */
	ROW("DIVU", "1000rrr011EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,D9", op_divu),
	ROW("DIVS", "1000rrr111EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,D9", op_divs),
	ROW("SBCD", "1000yyy100000xxx", SZ_B, 0, 0, M_ALL, "D0,D9", op_sbcd),
	ROW("SBCD", "1000yyy100001xxx", SZ_B, 0, 0, M_ALL, "-A0,-A9", op_sbcd),
	ROWF("OR", "1000rrr0SSEEEEEE", SZ_67, AM_DATA, 0, M_ALL, "E,D9", op_or_ea_dn, FC_OR),
	ROW("OR", "1000rrr1SSEEEEEE", SZ_67, AM_MALT, 0, M_ALL, "D9,E", op_or_dn_ea),
	/* line 9 */
	ROWF("SUB", "1001rrr0SSEEEEEE", SZ_67, AM_ALL, 0, M_ALL, "E,D9", op_sub_ea_dn, FC_SUB),
	ROW("SUB", "1001rrr1SSEEEEEE", SZ_67, AM_MALT, 0, M_ALL, "D9,E", op_sub_dn_ea),
	ROW("SUBX", "1001yyy1SS000xxx", SZ_67, 0, 0, M_ALL, "D0,D9", op_subx),
	ROW("SUBX", "1001yyy1SS001xxx", SZ_67, 0, 0, M_ALL, "-A0,-A9", op_subx),
	ROWF("SUBA", "1001rrr011EEEEEE", SZ_W, AM_ALL, 0, M_ALL, "E,A9", op_suba, FC_SUBA),
	ROWF("SUBA", "1001rrr111EEEEEE", SZ_L, AM_ALL, 0, M_ALL, "E,A9", op_suba, FC_SUBA),
	/* line A */
	ROW("LINEA", "1010xxxxxxxxxxxx", SZ_NONE, 0, 0, M_ALL, "#w", op_line_a),
	/* line B */
	ROWF("CMP", "1011rrr0SSEEEEEE", SZ_67, AM_ALL, 0, M_ALL, "E,D9", op_cmp, FC_CMP),
	ROWF("CMPA", "1011rrr011EEEEEE", SZ_W, AM_ALL, 0, M_ALL, "E,A9", op_cmpa, FC_CMPA),
	ROWF("CMPA", "1011rrr111EEEEEE", SZ_L, AM_ALL, 0, M_ALL, "E,A9", op_cmpa, FC_CMPA),
	ROW("CMPM", "1011yyy1SS001xxx", SZ_67, 0, 0, M_ALL, "+A0,+A9", op_cmpm),
	ROW("EOR", "1011rrr1SSEEEEEE", SZ_67, AM_DALT, 0, M_ALL, "D9,E", op_eor),
	/* line C */
	ROW("MULU", "1100rrr011EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,D9", op_mulu),
	ROW("MULS", "1100rrr111EEEEEE", SZ_W, AM_DATA, 0, M_ALL, "E,D9", op_muls),
	ROW("ABCD", "1100yyy100000xxx", SZ_B, 0, 0, M_ALL, "D0,D9", op_abcd),
	ROW("ABCD", "1100yyy100001xxx", SZ_B, 0, 0, M_ALL, "-A0,-A9", op_abcd),
	ROW("EXG", "1100xxx101000yyy", SZ_L, 0, 0, M_ALL, "D9,D0", op_exg),
	ROW("EXG", "1100xxx101001yyy", SZ_L, 0, 0, M_ALL, "A9,A0", op_exg),
	ROW("EXG", "1100xxx110001yyy", SZ_L, 0, 0, M_ALL, "D9,A0", op_exg),
	ROWF("AND", "1100rrr0SSEEEEEE", SZ_67, AM_DATA, 0, M_ALL, "E,D9", op_and_ea_dn, FC_AND),
	ROW("AND", "1100rrr1SSEEEEEE", SZ_67, AM_MALT, 0, M_ALL, "D9,E", op_and_dn_ea),
	/* line D */
	ROWF("ADD", "1101rrr0SSEEEEEE", SZ_67, AM_ALL, 0, M_ALL, "E,D9", op_add_ea_dn, FC_ADD),
	ROW("ADD", "1101rrr1SSEEEEEE", SZ_67, AM_MALT, 0, M_ALL, "D9,E", op_add_dn_ea),
	ROW("ADDX", "1101yyy1SS000xxx", SZ_67, 0, 0, M_ALL, "D0,D9", op_addx),
	ROW("ADDX", "1101yyy1SS001xxx", SZ_67, 0, 0, M_ALL, "-A0,-A9", op_addx),
	ROWF("ADDA", "1101rrr011EEEEEE", SZ_W, AM_ALL, 0, M_ALL, "E,A9", op_adda, FC_ADDA),
	ROWF("ADDA", "1101rrr111EEEEEE", SZ_L, AM_ALL, 0, M_ALL, "E,A9", op_adda, FC_ADDA),
	/* line E: memory shifts (word, by one) then register shifts */
	ROW("ASR", "1110000011EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("ASL", "1110000111EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("LSR", "1110001011EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("LSL", "1110001111EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("ROXR", "1110010011EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("ROXL", "1110010111EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("ROR", "1110011011EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("ROL", "1110011111EEEEEE", SZ_W, AM_MALT, 0, M_ALL, "E", op_shift_mem),
	ROW("ASR", "1110ccc0SSi00rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("ASL", "1110ccc1SSi00rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("LSR", "1110ccc0SSi01rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("LSL", "1110ccc1SSi01rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("ROXR", "1110ccc0SSi10rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("ROXL", "1110ccc1SSi10rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("ROR", "1110ccc0SSi11rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	ROW("ROL", "1110ccc1SSi11rrr", SZ_67, 0, 0, M_ALL, "S,D0", op_shift_reg),
	/* 68010 and later */
	ROW("MOVEC", "0100111001111010", SZ_L, 0, 0, M_010UP, "C,R", op_movec),
	ROW("MOVEC", "0100111001111011", SZ_L, 0, 0, M_010UP, "R,C", op_movec),
	ROW("MOVES", "00001110SSEEEEEE", SZ_67, AM_MALT, 0, M_010UP, "R,E|E,R", op_moves),
	ROW("BKPT", "0100100001001vvv", SZ_NONE, 0, 0, M_010UP, "#v", op_bkpt),
	/* 68020 and later */
	ROW("CHK", "0100rrr100EEEEEE", SZ_L, AM_DATA, 0, M_020UP, "E,D9", op_chk_l),
	ROW("CHK2", "00000SS011EEEEEE", SZ_910, AM_CTL, 0, M_020UP, "E,R", op_chk2),
	ROW("CAS", "0000101011EEEEEE", SZ_B, AM_MALT, 0, M_020UP, "Dc,Du,E", op_cas),
	ROW("CAS", "0000110011EEEEEE", SZ_W, AM_MALT, 0, M_020UP, "Dc,Du,E", op_cas),
	ROW("CAS", "0000111011EEEEEE", SZ_L, AM_MALT, 0, M_020UP, "Dc,Du,E", op_cas),
	ROW("CAS2", "0000110011111100", SZ_W, 0, 0, M_020UP, "Dc:Dc,Du:Du,(R):(R)", op_cas2),
	ROW("CAS2", "0000111011111100", SZ_L, 0, 0, M_020UP, "Dc:Dc,Du:Du,(R):(R)", op_cas2),
	ROW("MULL", "0100110000EEEEEE", SZ_L, AM_DATA, 0, M_020UP, "E,Dh:Dl", op_mul_l),
	ROW("DIVL", "0100110001EEEEEE", SZ_L, AM_DATA, 0, M_020UP, "E,Dr:Dq", op_div_l),
	ROW("PACK", "1000yyy101000xxx", SZ_NONE, 0, 0, M_020UP, "D0,D9,#w", op_pack),
	ROW("PACK", "1000yyy101001xxx", SZ_NONE, 0, 0, M_020UP, "-A0,-A9,#w", op_pack),
	ROW("UNPK", "1000yyy110000xxx", SZ_NONE, 0, 0, M_020UP, "D0,D9,#w", op_unpk),
	ROW("UNPK", "1000yyy110001xxx", SZ_NONE, 0, 0, M_020UP, "-A0,-A9,#w", op_unpk),
	ROW("TRAPcc", "0101cccc11111010", SZ_W, 0, 0, M_020UP, "#w", op_trapcc),
	ROW("TRAPcc", "0101cccc11111011", SZ_L, 0, 0, M_020UP, "#i", op_trapcc),
	ROW("TRAPcc", "0101cccc11111100", SZ_NONE, 0, 0, M_020UP, "", op_trapcc),
	ROW("BFTST", "1110100011EEEEEE", SZ_NONE, AM_DN | AM_CTL, 0, M_020UP, "E{o:w}", op_bitfield),
	ROW("BFEXTU", "1110100111EEEEEE", SZ_NONE, AM_DN | AM_CTL, 0, M_020UP, "E{o:w},R", op_bitfield),
	ROW("BFCHG", "1110101011EEEEEE", SZ_NONE, AM_DN | AM_CALT, 0, M_020UP, "E{o:w}", op_bitfield),
	ROW("BFEXTS", "1110101111EEEEEE", SZ_NONE, AM_DN | AM_CTL, 0, M_020UP, "E{o:w},R", op_bitfield),
	ROW("BFCLR", "1110110011EEEEEE", SZ_NONE, AM_DN | AM_CALT, 0, M_020UP, "E{o:w}", op_bitfield),
	ROW("BFFFO", "1110110111EEEEEE", SZ_NONE, AM_DN | AM_CTL, 0, M_020UP, "E{o:w},R", op_bitfield),
	ROW("BFSET", "1110111011EEEEEE", SZ_NONE, AM_DN | AM_CALT, 0, M_020UP, "E{o:w}", op_bitfield),
	ROW("BFINS", "1110111111EEEEEE", SZ_NONE, AM_DN | AM_CALT, 0, M_020UP, "R,E{o:w}", op_bitfield),
	/* 68040 */
	ROW("MOVE16", "1111011000100xxx", SZ_NONE, 0, 0, M_040, "+A0,+R", op_move16),
	ROW("MOVE16", "11110110000ooyyy", SZ_NONE, 0, 0, M_040, "M16", op_move16),
	ROW("CINVL",  "11110100cc001rrr", SZ_NONE, 0, 0, M_040, "K,(A0)", op_cache),
	ROW("CINVP",  "11110100cc010rrr", SZ_NONE, 0, 0, M_040, "K,(A0)", op_cache),
	ROW("CINVA",  "11110100cc011rrr", SZ_NONE, 0, 0, M_040, "K", op_cache),
	ROW("CPUSHL", "11110100cc101rrr", SZ_NONE, 0, 0, M_040, "K,(A0)", op_cache),
	ROW("CPUSHP", "11110100cc110rrr", SZ_NONE, 0, 0, M_040, "K,(A0)", op_cache),
	ROW("CPUSHA", "11110100cc111rrr", SZ_NONE, 0, 0, M_040, "K", op_cache),
	/* line F */
	ROW("LINEF", "1111xxxxxxxxxxxx", SZ_NONE, 0, 0, M_ALL, "#w", op_line_f),
};
// clang-format on
const unsigned insn_table_len = sizeof insn_table / sizeof insn_table[0];

op_fn op_table[5][65536];
/* Row of each opcode word per model (+1; 0: no row), for the disassembler. */
static uint8_t row_table[5][65536];

const struct insn_desc *insn_row(enum cpu_model model, uint16_t op)
{
	insn_table_build_model(model);
	unsigned r = row_table[model][op];
	return r ? &insn_table[r - 1] : NULL;
}

/* Mode bit for a 6-bit mode/register field; 0 if the field is no mode. */
static unsigned mode_bit(unsigned mode, unsigned reg)
{
	if (mode < 7)
		return 1u << mode;
	return reg <= 4 ? 1u << (7 + reg) : 0;
}

/* Does opcode op match row d on a CPU with model bit mbit? */
static int row_matches(const struct insn_desc *d, unsigned op)
{
	unsigned sizebits = 0;
	int have_size = 0;
	for (int i = 0; i < 16; i++) {
		char ch = d->pattern[i];
		unsigned bit = (op >> (15 - i)) & 1;
		if (ch == '0' && bit)
			return 0;
		if (ch == '1' && !bit)
			return 0;
		if (ch == 'S') {
			sizebits = sizebits << 1 | bit;
			have_size = 1;
		}
	}
	if (have_size && sizebits == 3)
		return 0;
	int byte = (have_size && sizebits == 0) || d->size == SZ_B;
	if (strchr(d->pattern, 'E')) {
		unsigned m = mode_bit((op >> 3) & 7, op & 7);
		if (!(m & d->src_modes))
			return 0;
		if (byte && m == AM_AN)
			return 0; /* no byte access to An */
	}
	if (strchr(d->pattern, 'e')) {
		unsigned m = mode_bit((op >> 6) & 7, (op >> 9) & 7);
		if (!(m & d->dst_modes))
			return 0;
	}
	return 1;
}

static int fixed_bits(const char *pat)
{
	int n = 0;
	for (int i = 0; i < 16; i++)
		n += pat[i] == '0' || pat[i] == '1';
	return n;
}

/* Builds one model's tables: for every opcode word, the matching row with
 * the most fixed bits. About 10 ms; done once per model, on first use. */
void insn_table_build_model(enum cpu_model model)
{
	static int built[5];
	_Static_assert(sizeof insn_table / sizeof insn_table[0] < 255,
		       "row_table holds row numbers in a byte");
	if (built[model])
		return;
	static int best[65536];
	for (unsigned op = 0; op < 65536; op++) {
		op_table[model][op] = op_illegal;
		best[op] = -1;
	}
	for (unsigned i = 0; i < insn_table_len; i++) {
		const struct insn_desc *d = &insn_table[i];
		if (!(d->models & (1u << model)))
			continue;
		int spec = fixed_bits(d->pattern);
		unsigned fmask = 0, fval = 0;
		for (int b = 0; b < 16; b++) {
			char ch = d->pattern[b];
			if (ch == '0' || ch == '1') {
				fmask |= 1u << (15 - b);
				fval |= (unsigned)(ch == '1') << (15 - b);
			}
		}
		for (unsigned op = 0; op < 65536; op++) {
			if ((op & fmask) != fval || spec <= best[op] || !row_matches(d, op))
				continue;
			best[op] = spec;
			op_fn sp = d->special ? d->special((uint16_t)op) : NULL;
			op_table[model][op] = sp ? sp : d->fn;
			row_table[model][op] = (uint8_t)(i + 1);
		}
	}
	built[model] = 1;
}

void insn_table_build(void)
{
	for (int m = CPU_68000; m <= CPU_68040; m++)
		insn_table_build_model((enum cpu_model)m);
}

unsigned cpu_decoded_opcodes(enum cpu_model model)
{
	insn_table_build_model(model);
	unsigned n = 0;
	for (unsigned op = 0; op < 65536; op++) {
		op_fn f = op_table[model][op];
		n += f != op_illegal && f != op_line_a && f != op_line_f;
	}
	return n;
}
