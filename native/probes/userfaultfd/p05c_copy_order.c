/* Item 5/6: check ORDER for UFFDIO_COPY / UFFDIO_ZEROPAGE by combining two errors */
#include "common.h"
static int U;
#define A BASE
#define SRC (BASE + 0x10000000UL)
#define HOLE (BASE + 0x31000000UL)
#define UNMAPPED (BASE + 0x32000000UL)
static void COPY(const char *label, unsigned long dst, unsigned long src, unsigned long len, __u64 mode)
{
	struct uffdio_copy c = {.dst = dst, .src = src, .len = len, .mode = mode, .copy = SENT};
	int e;
	long ret = xioctl(U, UFFDIO_COPY, &c, &e);
	printf("[%s] COPY %-62s -> ret=%ld errno=%s copy=%lld%s\n", WHO, label, ret, ret ? en(e) : "-", (long long)c.copy, c.copy == SENT ? " (untouched)" : "");
}
static void ZP(const char *label, unsigned long s, unsigned long len, __u64 mode)
{
	struct uffdio_zeropage z = {.range = {s, len}, .mode = mode, .zeropage = SENT};
	int e;
	long ret = xioctl(U, UFFDIO_ZEROPAGE, &z, &e);
	printf("[%s] ZEROPAGE %-58s -> ret=%ld errno=%s zeropage=%lld%s\n", WHO, label, ret, ret ? en(e) : "-", (long long)z.zeropage, z.zeropage == SENT ? " (untouched)" : "");
}
static void body(void)
{
	U = new_uffd(O_CLOEXEC);
	R("COPY(NULL) before UFFDIO_API", ioctl(U, UFFDIO_COPY, NULL));
	R("ZEROPAGE(NULL) before UFFDIO_API", ioctl(U, UFFDIO_ZEROPAGE, NULL));
	uffd_api(U, 0);
	map_at(SRC, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)SRC, 0x61, 2 * PG);
	map_at(A, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(char *)(A + 1 * PG) = 1; /* page1 present */
	uffd_reg(U, A, 8 * PG, 1, NULL);
	map_at(A + 0x100000, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1); /* unregistered */
	COPY("mode unknown(4) + dst in hole", HOLE, SRC, PG, 4);
	COPY("mode unknown(4) + dst unregistered", A + 0x100000, SRC, PG, 4);
	COPY("src wraps + dst in hole", HOLE, 0xfffffffffffff000UL, PG, 0);
	COPY("src >= TASK_SIZE + dst in hole", HOLE, 0x800000000000UL, PG, 0);
	COPY("src unmapped + dst in hole", HOLE, UNMAPPED, PG, 0);
	COPY("src unmapped + dst unregistered VMA", A + 0x100000, UNMAPPED, PG, 0);
	COPY("src unmapped + dst present (EEXIST)", A + PG, UNMAPPED, PG, 0);
	COPY("src unmapped + MODE_WP on MISSING-only VMA", A + 2 * PG, UNMAPPED, PG, UFFDIO_COPY_MODE_WP);
	COPY("dst present + MODE_WP on MISSING-only VMA", A + PG, SRC, PG, UFFDIO_COPY_MODE_WP);
	COPY("dst hole + MODE_WP", HOLE, SRC, PG, UFFDIO_COPY_MODE_WP);
	COPY("dst unregistered + MODE_WP", A + 0x100000, SRC, PG, UFFDIO_COPY_MODE_WP);
	COPY("dst range crosses VMA end + MODE_WP", A + 7 * PG, SRC, 2 * PG, UFFDIO_COPY_MODE_WP);
	COPY("dst present (page1) then page2 empty: 2 pages", A + PG, SRC, 2 * PG, 0);
	COPY("page2 empty, page3 empty, src 2nd page unmapped", A + 2 * PG, SRC + PG, 2 * PG, 0);
	ZP("mode unknown(2) + hole", HOLE, PG, 2);
	ZP("mode unknown(2) + dst present", A + PG, PG, 2);
	ZP("hole + len unaligned", HOLE, PG + 1, 0);
	ZP("dst present (page1) then page4 empty? (page1..2)", A + PG, 2 * PG, 0);
	ZP("dst range crosses VMA end", A + 7 * PG, 2 * PG, 0);
	COPY("src=0x7fffffffe800 len PG (src end > TASK_SIZE), dst ok", A + 6 * PG, 0x7fffffffe800UL, PG, 0);
	COPY("src=0x7fffffffe000 len PG (src end == TASK_SIZE), dst ok", A + 6 * PG, 0x7fffffffe000UL, PG, 0);
	COPY("src=0 (NULL page), dst ok", A + 6 * PG, 0, PG, 0);
	COPY("src=0xfff (unaligned, low), dst ok", A + 6 * PG, 0xfff, PG, 0);
	/* src overlapping dst inside registered range where both present */
	COPY("src == dst (present page1)", A + PG, A + PG, PG, 0);
	/* src in registered, populated page */
	COPY("src = populated registered page1 -> dst page5", A + 5 * PG, A + PG, PG, 0);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both("p05c_copy_order", body); return 0; }
