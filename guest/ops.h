/* guest/ops.h: the instruction handlers (one per row kind of the
 * description table in guest/insn_table.c) and shared ALU helpers. */
#ifndef VM68K_GUEST_OPS_H
#define VM68K_GUEST_OPS_H

#include "guest/cpu_internal.h"

uint32_t alu_add(struct cpu *c, uint32_t s, uint32_t d, unsigned sz, unsigned x, int addx);
uint32_t alu_sub(struct cpu *c, uint32_t s, uint32_t d, unsigned sz, unsigned x, int subx);
uint16_t sr_valid_mask(const struct cpu *c);

void op_abcd(struct cpu *c, uint16_t op);
void op_adda(struct cpu *c, uint16_t op);
void op_addi(struct cpu *c, uint16_t op);
void op_addq(struct cpu *c, uint16_t op);
void op_addx(struct cpu *c, uint16_t op);
void op_and_dn_ea(struct cpu *c, uint16_t op);
void op_and_ea_dn(struct cpu *c, uint16_t op);
void op_andi(struct cpu *c, uint16_t op);
void op_andi_ccr(struct cpu *c, uint16_t op);
void op_andi_sr(struct cpu *c, uint16_t op);
void op_bcc(struct cpu *c, uint16_t op);
void op_bit_dn(struct cpu *c, uint16_t op);
void op_bit_imm(struct cpu *c, uint16_t op);
void op_bsr(struct cpu *c, uint16_t op);
void op_chk(struct cpu *c, uint16_t op);
void op_clr(struct cpu *c, uint16_t op);
void op_cmpa(struct cpu *c, uint16_t op);
void op_cmpi(struct cpu *c, uint16_t op);
void op_cmpm(struct cpu *c, uint16_t op);
void op_dbcc(struct cpu *c, uint16_t op);
void op_divs(struct cpu *c, uint16_t op);
void op_divu(struct cpu *c, uint16_t op);
void op_eor(struct cpu *c, uint16_t op);
void op_eori(struct cpu *c, uint16_t op);
void op_eori_ccr(struct cpu *c, uint16_t op);
void op_eori_sr(struct cpu *c, uint16_t op);
void op_exg(struct cpu *c, uint16_t op);
void op_ext(struct cpu *c, uint16_t op);
void op_illegal(struct cpu *c, uint16_t op);
void op_jmp(struct cpu *c, uint16_t op);
void op_jsr(struct cpu *c, uint16_t op);
void op_lea(struct cpu *c, uint16_t op);
void op_line_a(struct cpu *c, uint16_t op);
void op_line_f(struct cpu *c, uint16_t op);
void op_link(struct cpu *c, uint16_t op);
void op_link_l(struct cpu *c, uint16_t op);
void op_move(struct cpu *c, uint16_t op);
void op_move_from_ccr(struct cpu *c, uint16_t op);
void op_move_from_sr(struct cpu *c, uint16_t op);
void op_move_to_ccr(struct cpu *c, uint16_t op);
void op_move_to_sr(struct cpu *c, uint16_t op);
void op_move_usp(struct cpu *c, uint16_t op);
void op_movea(struct cpu *c, uint16_t op);
void op_movem_to_mem(struct cpu *c, uint16_t op);
void op_movem_to_reg(struct cpu *c, uint16_t op);
void op_movep(struct cpu *c, uint16_t op);
void op_moveq(struct cpu *c, uint16_t op);
void op_muls(struct cpu *c, uint16_t op);
void op_mulu(struct cpu *c, uint16_t op);
void op_nbcd(struct cpu *c, uint16_t op);
void op_neg(struct cpu *c, uint16_t op);
void op_negx(struct cpu *c, uint16_t op);
void op_nop(struct cpu *c, uint16_t op);
void op_not(struct cpu *c, uint16_t op);
void op_or_dn_ea(struct cpu *c, uint16_t op);
void op_or_ea_dn(struct cpu *c, uint16_t op);
void op_ori(struct cpu *c, uint16_t op);
void op_ori_ccr(struct cpu *c, uint16_t op);
void op_ori_sr(struct cpu *c, uint16_t op);
void op_pea(struct cpu *c, uint16_t op);
void op_reset(struct cpu *c, uint16_t op);
void op_rtd(struct cpu *c, uint16_t op);
void op_rte(struct cpu *c, uint16_t op);
void op_rtr(struct cpu *c, uint16_t op);
void op_rts(struct cpu *c, uint16_t op);
void op_sbcd(struct cpu *c, uint16_t op);
void op_scc(struct cpu *c, uint16_t op);
void op_shift_mem(struct cpu *c, uint16_t op);
void op_shift_reg(struct cpu *c, uint16_t op);
void op_stop(struct cpu *c, uint16_t op);
void op_suba(struct cpu *c, uint16_t op);
void op_subi(struct cpu *c, uint16_t op);
void op_subq(struct cpu *c, uint16_t op);
void op_subx(struct cpu *c, uint16_t op);
void op_swap(struct cpu *c, uint16_t op);
void op_tas(struct cpu *c, uint16_t op);
void op_trap(struct cpu *c, uint16_t op);
void op_trapv(struct cpu *c, uint16_t op);
void op_tst(struct cpu *c, uint16_t op);
void op_unlk(struct cpu *c, uint16_t op);
void op_add_ea_dn(struct cpu *c, uint16_t op);
void op_sub_ea_dn(struct cpu *c, uint16_t op);
void op_cmp(struct cpu *c, uint16_t op);
void op_add_dn_ea(struct cpu *c, uint16_t op);
void op_sub_dn_ea(struct cpu *c, uint16_t op);

#endif
