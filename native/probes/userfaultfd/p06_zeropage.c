/* Item 6: UFFDIO_ZEROPAGE */
#include "common.h"
#include <sys/stat.h>

static int U;
#define A BASE

static long ZP(const char *label, unsigned long start, unsigned long len, __u64 mode)
{
	struct uffdio_zeropage z = {.range = {start, len}, .mode = mode, .zeropage = SENT};
	int e;
	long ret = xioctl(U, UFFDIO_ZEROPAGE, &z, &e);
	printf("[%s] ZEROPAGE %-48s start=%#lx len=%#lx mode=%#llx -> ret=%ld errno=%s zeropage=%lld%s\n", WHO, label, start, len,
	       (unsigned long long)mode, ret, ret ? en(e) : "-", (long long)z.zeropage, z.zeropage == SENT ? " (untouched)" : "");
	return ret ? -e : 0;
}
static void present(const char *tag, unsigned long a, int n)
{
	printf("[%s]   %s present:", WHO, tag);
	for (int i = 0; i < n; i++) printf(" %d", (int)(pagemap(a + i * PG) >> 63));
	printf("\n");
}
static int mk(void) { int fd = new_uffd(O_CLOEXEC); uffd_api(fd, 0); return fd; }

static void body(void)
{
	U = mk();
	/* reference: zero page pfn via read of an untouched unregistered anon page */
	volatile char *z = map_at(BASE + 0x70000000UL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	(void)z[0];
	print_pagemap("reference: read-faulted unregistered anon page (zero page)", (unsigned long)z);
	uint64_t zpfn = pagemap((unsigned long)z) & ((1ULL << 55) - 1);

	map_at(A, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(char *)(A + 5 * PG) = 'P';
	uffd_reg(U, A, 16 * PG, 1, NULL);
	ZP("success 1 page A+0", A, PG, 0);
	print_pagemap("A[0]", A);
	printf("[%s]   A[0] pfn == zero-page pfn: %d ; A[0][0]=%d\n", WHO, (pagemap(A) & ((1ULL << 55) - 1)) == zpfn, *(char *)A);
	smaps_range("after zeropage", A, A + 16 * PG);
	ZP("success 2 pages A+1", A + PG, 2 * PG, 0);
	smaps_range("after 3 zeropages", A, A + 16 * PG);
	/* write to a zero page: not trapped (MISSING only), COW */
	*(char *)(A + PG) = 'W';
	print_pagemap("A[1] after write", A + PG);
	smaps_range("after write to A[1]", A, A + 16 * PG);
	ZP("start unaligned", A + 3 * PG + 1, PG, 0);
	ZP("len unaligned", A + 3 * PG, PG + 1, 0);
	ZP("len 0", A + 3 * PG, 0, 0);
	ZP("start 0", 0, PG, 0);
	ZP("start >= TASK_SIZE", 0x7ffffffff000UL, PG, 0);
	ZP("end > TASK_SIZE", 0x7fffffffe000UL, 2 * PG, 0);
	ZP("overflow len", A, 0xfffff00000000000UL, 0);
	ZP("already present A+5", A + 5 * PG, PG, 0);
	ZP("already zeropage A+0", A, PG, 0);
	ZP("partial A+4 empty, A+5 present", A + 4 * PG, 2 * PG, 0);
	present("A[4],A[5]", A + 4 * PG, 2);
	ZP("mode unknown 2", A + 6 * PG, PG, 2);
	ZP("mode unknown 4", A + 6 * PG, PG, 4);
	ZP("mode unknown + unaligned", A + 6 * PG + 1, PG, 4);
	ZP("MODE_DONTWAKE", A + 6 * PG, PG, 1);
	present("A[6]", A + 6 * PG, 1);
	map_at(BASE + 0x30000000UL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	ZP("unregistered VMA", BASE + 0x30000000UL, PG, 0);
	ZP("hole", BASE + 0x31000000UL, PG, 0);
	ZP("spans VMA end into hole", A + 15 * PG, 2 * PG, 0);
	R("ZEROPAGE(NULL)", ioctl(U, UFFDIO_ZEROPAGE, NULL));
	/* WP-only VMA, PROT_READ VMA */
	map_at(BASE + 0x40000000UL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE + 0x40000000UL, 2 * PG, 2, NULL);
	ZP("WP-only registered VMA", BASE + 0x40000000UL, PG, 0);
	print_pagemap("WP-only zp", BASE + 0x40000000UL);
	map_at(BASE + 0x41000000UL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE + 0x41000000UL, 2 * PG, 1, NULL);
	ZP("PROT_READ registered VMA", BASE + 0x41000000UL, PG, 0);
	print_pagemap("PROT_READ zp", BASE + 0x41000000UL);
	/* memfd shared */
	int mfd = memfd_create("zp", 0);
	ftruncate(mfd, 4 * PG);
	unsigned long M = BASE + 0x2000000UL;
	map_at(M, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	uffd_reg(U, M, 4 * PG, 1, NULL);
	ZP("memfd MAP_SHARED", M, PG, 0);
	print_pagemap("memfd shared zp", M);
	smaps_range("memfd shared", M, M + 4 * PG);
	struct stat st; fstat(mfd, &st);
	printf("[%s]   memfd st_blocks=%ld (pages allocated in page cache *8)\n", WHO, (long)st.st_blocks);
	/* memfd private */
	int mfd2 = memfd_create("zp2", 0);
	ftruncate(mfd2, 4 * PG);
	unsigned long P = BASE + 0x2100000UL;
	map_at(P, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd2);
	uffd_reg(U, P, 4 * PG, 1, NULL);
	ZP("memfd MAP_PRIVATE", P, PG, 0);
	print_pagemap("memfd private zp", P);
	printf("[%s]   memfd-private pfn == zero pfn: %d\n", WHO, (pagemap(P) & ((1ULL << 55) - 1)) == zpfn);
	fstat(mfd2, &st);
	printf("[%s]   memfd2 st_blocks=%ld\n", WHO, (long)st.st_blocks);
	/* shared anon */
	unsigned long S = BASE + 0x2200000UL;
	map_at(S, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	uffd_reg(U, S, 4 * PG, 1, NULL);
	ZP("shared anon", S, PG, 0);
	print_pagemap("shared anon zp", S);
	smaps_range("shared anon", S, S + 4 * PG);
	/* THP-enabled VMA, 2MB aligned, 2MB zeropage */
	unsigned long H = BASE + 0x4000000UL;
	map_at(H, 0x200000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise((void *)H, 0x200000, MADV_HUGEPAGE);
	uffd_reg(U, H, 0x200000, 1, NULL);
	ZP("MADV_HUGEPAGE VMA, 2MB range", H, 0x200000, 0);
	smaps_range("thp zp", H, H + 0x200000);
	print_pagemap("thp zp first", H);
	print_pagemap("thp zp second", H + PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p06_zeropage", body);
	return 0;
}
