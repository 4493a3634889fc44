/* The wire format between the diff driver and the m68k harness: one fixed-size
 * record per case in, one per result out, every field big-endian (the harness
 * reads and writes them natively). Shared by both sides, so no host types. */
#ifndef VM68K_DIFF_WIRE_H
#define VM68K_DIFF_WIRE_H

/* Guest addresses both sides use, so PC-relative results and LEA/PEA values
 * are identical: the sequence runs at DIFF_CODE_ADDR, its memory operands live
 * in the DIFF_DATA_SIZE bytes at DIFF_DATA_ADDR (stack included). */
#define DIFF_CODE_ADDR 0x00100000u
#define DIFF_DATA_ADDR 0x00200000u
#define DIFF_CODE_MAX 128u /* bytes of sequence, trailer not included */
#define DIFF_DATA_SIZE 1024u
#define DIFF_PAGE 4096u

#define DIFF_MAGIC_CASE 0x44494643u   /* 'DIFC' */
#define DIFF_MAGIC_RESULT 0x44494652u /* 'DIFR' */

/* Case record: magic, code length, D0-D7, A0-A7, CCR, code, data. */
#define DIFF_IN_MAGIC 0
#define DIFF_IN_CODE_LEN 4
#define DIFF_IN_D 8
#define DIFF_IN_A 40
#define DIFF_IN_CCR 72
#define DIFF_IN_CODE 76
#define DIFF_IN_DATA (DIFF_IN_CODE + DIFF_CODE_MAX)
#define DIFF_IN_SIZE (DIFF_IN_DATA + DIFF_DATA_SIZE)

/* Result record: magic, signal (0 when the sequence ran to its end), si_code,
 * fault address, PC, D0-D7, A0-A7, SR (user byte only is meaningful), data. */
#define DIFF_OUT_MAGIC 0
#define DIFF_OUT_SIGNAL 4
#define DIFF_OUT_SI_CODE 8
#define DIFF_OUT_FAULT_ADDR 12
#define DIFF_OUT_PC 16
#define DIFF_OUT_D 20
#define DIFF_OUT_A 52
#define DIFF_OUT_SR 84
#define DIFF_OUT_DATA 88
#define DIFF_OUT_SIZE (DIFF_OUT_DATA + DIFF_DATA_SIZE)

#endif
