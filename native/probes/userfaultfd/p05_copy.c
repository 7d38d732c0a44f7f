/* Item 5: UFFDIO_COPY */
#include "common.h"

static int U;
#define A BASE                       /* 16 pages private anon, registered MISSING */
#define SRC (BASE + 0x10000000UL)    /* 8 pages source, pattern */

static long COPY(const char *label, unsigned long dst, unsigned long src, unsigned long len, __u64 mode)
{
	struct uffdio_copy c = {.dst = dst, .src = src, .len = len, .mode = mode, .copy = SENT};
	int e;
	long ret = xioctl(U, UFFDIO_COPY, &c, &e);
	printf("[%s] COPY %-50s dst=%#lx src=%#lx len=%#lx mode=%#llx -> ret=%ld errno=%s copy=%lld%s\n", WHO, label, dst, src, len,
	       (unsigned long long)mode, ret, ret ? en(e) : "-", (long long)c.copy, c.copy == SENT ? " (untouched)" : "");
	if (c.dst != dst || c.src != src || c.len != len || c.mode != mode) printf("   !! input fields modified\n");
	return ret ? -e : 0;
}
static void present(const char *tag, unsigned long a, int n)
{
	printf("[%s]   %s present:", WHO, tag);
	for (int i = 0; i < n; i++) printf(" %d", (int)(pagemap(a + i * PG) >> 63));
	printf("\n");
}
static void fill_src(void)
{
	for (int i = 0; i < 8; i++) memset((char *)SRC + i * PG, 'a' + i, PG);
}
static int mk(void) { int fd = new_uffd(O_CLOEXEC); uffd_api(fd, 0); return fd; }
static long REG(int fd, unsigned long s, unsigned long l, __u64 m) { __u64 io; long r = uffd_reg(fd, s, l, m, &io); if (r) printf("[%s] REGISTER %#lx failed %s\n", WHO, s, en(-r)); return r; }
static volatile int alarmed;
static void on_alarm(int s) { alarmed = 1; }

static void body(void)
{
	U = mk();
	map_at(SRC, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	fill_src();
	map_at(A, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	/* pre-populate pages 5 and 9 */
	*(char *)(A + 5 * PG) = 'P';
	*(char *)(A + 9 * PG) = 'P';
	REG(U, A, 16 * PG, UFFDIO_REGISTER_MODE_MISSING);
	present("initial A[0..15]", A, 16);

	COPY("success 1 page -> A+0", A, SRC, PG, 0);
	printf("[%s]   A[0] bytes: %c %c\n", WHO, *(char *)A, *(char *)(A + PG - 1));
	smaps_range("after copy", A, A + 16 * PG);
	COPY("success 2 pages -> A+1", A + PG, SRC + PG, 2 * PG, 0);
	printf("[%s]   A[1]=%c A[2]=%c\n", WHO, *(char *)(A + PG), *(char *)(A + 2 * PG));
	COPY("dst unaligned (+1)", A + 3 * PG + 1, SRC, PG, 0);
	COPY("dst unaligned (+0x800)", A + 3 * PG + 0x800, SRC, PG, 0);
	COPY("src unaligned (+1)", A + 3 * PG, SRC + 1, PG, 0);
	present("after src-unaligned A[3]", A + 3 * PG, 1);
	if (pagemap(A + 3 * PG) >> 63) printf("[%s]   A[3] bytes [0]=%c [4095]=%c\n", WHO, *(char *)(A + 3 * PG), *(char *)(A + 4 * PG - 1));
	COPY("len unaligned (PG+1)", A + 4 * PG, SRC, PG + 1, 0);
	COPY("len unaligned (100)", A + 4 * PG, SRC, 100, 0);
	COPY("len 0", A + 4 * PG, SRC, 0, 0);
	COPY("dst 0", 0, SRC, PG, 0);
	COPY("dst >= TASK_SIZE", 0x7ffffffff000UL, SRC, PG, 0);
	COPY("dst+len > TASK_SIZE", 0x7fffffffe000UL, SRC, 2 * PG, 0);
	COPY("src+len wraps (src=0xfffffffffffff000)", A + 4 * PG, 0xfffffffffffff000UL, PG, 0);
	COPY("src+len wraps + dst unaligned", A + 4 * PG + 1, 0xfffffffffffff000UL, PG, 0);
	COPY("src >= TASK_SIZE (0x800000000000)", A + 4 * PG, 0x800000000000UL, PG, 0);
	COPY("src kernel addr (0xffff888000000000)", A + 4 * PG, 0xffff888000000000UL, PG, 0);
	COPY("dst already present (A+5)", A + 5 * PG, SRC, PG, 0);
	printf("[%s]   A[5][0]=%c (unchanged 'P'?)\n", WHO, *(char *)(A + 5 * PG));
	COPY("partial: A+4 empty, A+5 present", A + 4 * PG, SRC + 4 * PG, 2 * PG, 0);
	present("A[4],A[5]", A + 4 * PG, 2);
	COPY("partial: A+8 empty, A+9 present, A+10 empty", A + 8 * PG, SRC, 3 * PG, 0);
	present("A[8..10]", A + 8 * PG, 3);
	/* src unmapped */
	COPY("src unmapped (hole)", A + 6 * PG, BASE + 0x20000000UL, PG, 0);
	present("A[6]", A + 6 * PG, 1);
	map_at(BASE + 0x20000000UL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)(BASE + 0x20000000UL), 'Z', PG);
	COPY("src page0 ok, page1 unmapped", A + 6 * PG, BASE + 0x20000000UL, 2 * PG, 0);
	present("A[6],A[7]", A + 6 * PG, 2);
	map_at(BASE + 0x21000000UL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	COPY("src PROT_NONE", A + 7 * PG, BASE + 0x21000000UL, PG, 0);
	map_at(BASE + 0x22000000UL, PG, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	COPY("src PROT_WRITE-only (x86: readable)", A + 7 * PG, BASE + 0x22000000UL, PG, 0);
	present("A[7]", A + 7 * PG, 1);
	/* mode */
	COPY("mode unknown bit 4", A + 11 * PG, SRC, PG, 4);
	COPY("mode 1<<63", A + 11 * PG, SRC, PG, 1ULL << 63);
	COPY("mode unknown + dst unaligned (order)", A + 11 * PG + 1, SRC, PG, 4);
	COPY("MODE_WP on MISSING-only VMA", A + 11 * PG, SRC, PG, UFFDIO_COPY_MODE_WP);
	present("A[11]", A + 11 * PG, 1);
	COPY("MODE_DONTWAKE", A + 11 * PG, SRC, PG, UFFDIO_COPY_MODE_DONTWAKE);
	COPY("MODE_DONTWAKE|WP on MISSING-only", A + 12 * PG, SRC, PG, 3);
	/* not registered / hole / other uffd */
	map_at(BASE + 0x30000000UL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	COPY("dst in unregistered anon VMA", BASE + 0x30000000UL, SRC, PG, 0);
	present("unreg dst", BASE + 0x30000000UL, 1);
	COPY("dst in hole", BASE + 0x31000000UL, SRC, PG, 0);
	COPY("dst in hole + MODE_WP", BASE + 0x31000000UL, SRC, PG, UFFDIO_COPY_MODE_WP);
	COPY("dst spans registered VMA end into hole", A + 15 * PG, SRC, 2 * PG, 0);
	present("A[15]", A + 15 * PG, 1);
	COPY("dst in hole, src unmapped", BASE + 0x31000000UL, BASE + 0x32000000UL, PG, 0);
	COPY("dst present, src unmapped", A + 5 * PG, BASE + 0x32000000UL, PG, 0);
	int u2 = mk();
	map_at(BASE + 0x40000000UL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(u2, BASE + 0x40000000UL, 4 * PG, 1);
	COPY("dst registered with ANOTHER uffd", BASE + 0x40000000UL, SRC, PG, 0);
	/* two adjacent registered VMAs (rw | r) */
	map_at(BASE + 0x50000000UL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(BASE + 0x50000000UL + 2 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, BASE + 0x50000000UL, 4 * PG, 1);
	COPY("dst spans two adjacent registered VMAs", BASE + 0x50000000UL + PG, SRC, 2 * PG, 0);
	present("span", BASE + 0x50000000UL, 4);
	COPY("dst in PROT_READ registered VMA", BASE + 0x50000000UL + 3 * PG, SRC + 3 * PG, PG, 0);
	present("ro dst", BASE + 0x50000000UL + 3 * PG, 1);
	if (pagemap(BASE + 0x50000000UL + 3 * PG) >> 63) printf("[%s]   content=%c\n", WHO, *(char *)(BASE + 0x50000000UL + 3 * PG));
	smaps_range("ro dst", BASE + 0x50000000UL + 2 * PG, BASE + 0x50000000UL + 4 * PG);
	map_at(BASE + 0x51000000UL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, BASE + 0x51000000UL, 2 * PG, 1);
	COPY("dst in PROT_NONE registered VMA", BASE + 0x51000000UL, SRC, PG, 0);
	present("prot_none dst", BASE + 0x51000000UL, 1);
	/* WP-only registered VMA */
	map_at(BASE + 0x52000000UL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, BASE + 0x52000000UL, 2 * PG, UFFDIO_REGISTER_MODE_WP);
	COPY("dst in WP-only registered VMA", BASE + 0x52000000UL, SRC, PG, 0);
	COPY("dst in WP-only registered VMA, MODE_WP", BASE + 0x52000000UL + PG, SRC, PG, UFFDIO_COPY_MODE_WP);
	print_pagemap("WP-only p0", BASE + 0x52000000UL);
	print_pagemap("WP-only p1 (MODE_WP)", BASE + 0x52000000UL + PG);
	/* MISSING|WP VMA with MODE_WP */
	map_at(BASE + 0x53000000UL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, BASE + 0x53000000UL, 2 * PG, 3);
	COPY("MISSING|WP VMA, MODE_WP", BASE + 0x53000000UL, SRC, PG, UFFDIO_COPY_MODE_WP);
	print_pagemap("MISSING|WP MODE_WP", BASE + 0x53000000UL);
	/* bad struct pointers */
	R("COPY(NULL)", ioctl(U, UFFDIO_COPY, NULL));
	char *ro = mmap((void *)(BASE + 0x60000000UL), 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	struct uffdio_copy *cc = (void *)(ro + PG - 32); /* copy field on 2nd page */
	cc->dst = A + 13 * PG; cc->src = SRC; cc->len = PG; cc->mode = 0;
	mprotect(ro + PG, PG, PROT_READ);
	R("COPY(struct whose .copy is on a RO page)", ioctl(U, UFFDIO_COPY, cc));
	present("A[13] after EFAULT-writeback", A + 13 * PG, 1);
	printf("[%s]   .copy after = %lld\n", WHO, (long long)cc->copy);
	cc->dst = A + 13 * PG;
	R("COPY(same, dst now present -> EEXIST but writeback fails)", ioctl(U, UFFDIO_COPY, cc));
	cc->dst = A + 13 * PG + 1;
	R("COPY(same, dst unaligned -> validation error, no writeback)", ioctl(U, UFFDIO_COPY, cc));
}

/* shmem / memfd */
static void body_shmem(void)
{
	U = mk();
	map_at(SRC, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	fill_src();
	int mfd = memfd_create("copyprobe", 0);
	ftruncate(mfd, 8 * PG);
	unsigned long M = BASE + 0x2000000UL, M2 = BASE + 0x2100000UL, P = BASE + 0x2200000UL, S = BASE + 0x2300000UL;
	map_at(M, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	map_at(M2, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd); /* second, unregistered mapping */
	REG(U, M, 4 * PG, 1);
	COPY("memfd MAP_SHARED (MISSING) page0", M, SRC, PG, 0);
	printf("[%s]   M[0]=%c  other mapping M2[0]=%c  pread(memfd,off 0)=", WHO, *(char *)M, *(char *)M2);
	char b = 0; pread(mfd, &b, 1, 0); printf("%c\n", b);
	smaps_range("memfd M", M, M + 4 * PG);
	COPY("memfd MAP_SHARED page1..2", M + PG, SRC + PG, 2 * PG, 0);
	printf("[%s]   M2[1]=%c M2[2]=%c\n", WHO, *(char *)(M2 + PG), *(char *)(M2 + 2 * PG));
	/* page cache already populated through the other mapping (page 3) */
	*(char *)(M2 + 3 * PG) = 'Q';
	print_pagemap("M[3] (not mapped in M, in page cache)", M + 3 * PG);
	COPY("memfd MAP_SHARED page3 (already in page cache, not mapped here)", M + 3 * PG, SRC, PG, 0);
	COPY("memfd MAP_SHARED page0 again (present)", M, SRC, PG, 0);
	COPY("memfd MAP_SHARED MODE_WP on MISSING-only", M + 3 * PG, SRC, PG, UFFDIO_COPY_MODE_WP);
	/* beyond EOF: VMA larger than file */
	int mfd2 = memfd_create("short", 0);
	ftruncate(mfd2, PG);
	unsigned long E = BASE + 0x2400000UL;
	map_at(E, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd2);
	REG(U, E, 4 * PG, 1);
	COPY("memfd MAP_SHARED beyond EOF (file 1 page, dst page 2)", E + 2 * PG, SRC, PG, 0);
	COPY("memfd MAP_SHARED within EOF page 0", E, SRC, PG, 0);
	/* memfd MAP_PRIVATE */
	int mfd3 = memfd_create("priv", 0);
	ftruncate(mfd3, 4 * PG);
	map_at(P, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd3);
	REG(U, P, 4 * PG, 1);
	COPY("memfd MAP_PRIVATE page0", P, SRC, PG, 0);
	b = 0; pread(mfd3, &b, 1, 0);
	printf("[%s]   P[0]=%c pread(memfd)=%#x (page cache untouched?)\n", WHO, *(char *)P, b);
	print_pagemap("P[0]", P);
	smaps_range("memfd private", P, P + 4 * PG);
	/* shared anon */
	map_at(S, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	void *S2 = mremap((void *)S, 0, 4 * PG, MREMAP_MAYMOVE);
	printf("[%s]   mremap(old_size=0) alias of shared anon -> %p\n", WHO, S2);
	REG(U, S, 4 * PG, 1);
	COPY("shared anon (MISSING) page0", S, SRC + 2 * PG, PG, 0);
	if (S2 != MAP_FAILED) printf("[%s]   S[0]=%c alias S2[0]=%c\n", WHO, *(char *)S, *(char *)S2);
	/* MINOR-only registered shmem: COPY allowed? */
	int mfd4 = memfd_create("minor", 0);
	ftruncate(mfd4, 4 * PG);
	unsigned long N = BASE + 0x2500000UL;
	map_at(N, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd4);
	REG(U, N, 4 * PG, UFFDIO_REGISTER_MODE_MINOR);
	COPY("memfd MINOR-only registered, page0", N, SRC, PG, 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p05_copy anon", body);
	run_both("p05_copy shmem", body_shmem);
	return 0;
}
