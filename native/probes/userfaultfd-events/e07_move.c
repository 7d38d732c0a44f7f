/* B: UFFDIO_MOVE */
#include "ev.h"
#define S0 A0                      /* source: 16 pages private anon, unregistered */
#define D0r B0                     /* destination: 16 pages private anon, registered MISSING with U */
#define THS (BASE + 0x400000UL)    /* 2 MiB aligned THP source */
#define THD (BASE + 0x600000UL)    /* 2 MiB aligned THP destination (registered) */
static int U;
static long MV(const char *label, unsigned long dst, unsigned long src, unsigned long len, __u64 mode)
{
	struct uffdio_move_ m = {.dst = dst, .src = src, .len = len, .mode = mode, .move = SENT};
	int e;
	long r = xioctl(U, UFFDIO_MOVE_, &m, &e);
	char mv[32];
	if (m.move == SENT) strcpy(mv, "untouched");
	else snprintf(mv, sizeof mv, "%lld", (long long)m.move);
	printf("[%s]   MOVE %-58s dst=%#lx src=%#lx len=%#lx mode=%#llx -> ret=%ld %s move=%s\n", WHO, label, dst, src, len,
	       (unsigned long long)mode, r, r ? en(e) : "-", mv);
	return r ? -e : m.move;
}
static void pop(unsigned long at, int n, unsigned char v)
{
	for (int i = 0; i < n; i++) *(volatile unsigned char *)(at + i * PG) = v + i;
}
static void setup(__u64 feat)
{
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, feat);
	map_at(S0, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(D0r, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (uffd_reg(U, D0r, 16 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL)) printf("reg failed\n");
}
static void teardown(void)
{
	close(U);
	cleanup_all();
}
static void st(const char *tag, unsigned long a)
{
	uint64_t v = pagemap(a);
	unsigned char vec = 0;
	mincore((void *)a, PG, &vec);
	printf("[%s]     %-10s %#lx: present=%d excl=%d sd=%d pfn=%#" PRIx64 "%s", WHO, tag, a, (int)(v >> 63 & 1), (int)(v >> 56 & 1),
	       (int)(v >> 55 & 1), (uint64_t)(v & ((1ULL << 55) - 1)), (vec & 1) ? "" : " (mincore 0)");
	if (v >> 63 & 1) printf(" byte=%#x", *(volatile unsigned char *)a);
	printf("\n");
}
static void success_cases(__u64 feat)
{
	printf("[%s] ---- success cases, features=%#llx\n", WHO, (unsigned long long)feat);
	setup(feat);
	pop(S0, 4, 0x40);
	st("src p0", S0);
	st("dst p0", D0r);
	layout("before", S0, D0r + 16 * PG);
	MV("1 page S0 -> D0", D0r, S0, PG, 0);
	st("src p0", S0);
	st("dst p0", D0r);
	MV("3 pages S0+1 -> D0+1", D0r + PG, S0 + PG, 3 * PG, 0);
	st("dst p3", D0r + 3 * PG);
	layout("after", S0, D0r + 16 * PG);
	MV("within the registered VMA D0 -> D0+8", D0r + 8 * PG, D0r, PG, 0);
	st("D0", D0r);
	st("D0+8", D0r + 8 * PG);
	/* zero page source */
	(void)*(volatile unsigned char *)(S0 + 8 * PG);
	st("src zero", S0 + 8 * PG);
	MV("src = read-faulted zero page S0+8 -> D0+12", D0r + 12 * PG, S0 + 8 * PG, PG, 0);
	st("src", S0 + 8 * PG);
	st("dst", D0r + 12 * PG);
	layout("after zero-page move", S0, D0r + 16 * PG);
	teardown();
}
static void error_cases(void)
{
	printf("[%s] ---- validation and per-VMA errors (features=MOVE)\n", WHO);
	setup(F_MOVE);
	pop(S0, 4, 0x40);
	MV("dst unaligned", D0r + 1, S0, PG, 0);
	MV("src unaligned", D0r, S0 + 1, PG, 0);
	MV("len unaligned", D0r, S0, PG + 1, 0);
	MV("len 0", D0r, S0, 0, 0);
	MV("mode 4 (unknown)", D0r, S0, PG, 4);
	MV("mode 1<<63", D0r, S0, PG, 1ULL << 63);
	MV("dst >= TASK_SIZE", 0x800000000000UL, S0, PG, 0);
	MV("src >= TASK_SIZE", D0r, 0x800000000000UL, PG, 0);
	MV("src+len wraps", D0r, 0xfffffffffffff000UL, PG, 0);
	MV("dst in a hole", D0r + 0x10000, S0, PG, 0);
	MV("src in a hole", D0r, S0 + 0x10000, PG, 0);
	MV("dst = 0", 0, S0, PG, 0);
	MV("src = 0", D0r, 0, PG, 0);
	MV("dst in UNREGISTERED VMA (S0+4 <- S0)", S0 + 4 * PG, S0, PG, 0);
	MV("dst range crosses registered VMA end", D0r + 15 * PG, S0, 2 * PG, 0);
	MV("src range crosses VMA end", D0r, S0 + 15 * PG, 2 * PG, 0);
	MV("all valid: S0 -> D0 (D0 empty)", D0r, S0, PG, 0);
	MV("dst present again (D0), src S0 now empty", D0r, S0, PG, 0);
	MV("src pte none in populated pmd (S0 now empty) no HOLES", D0r + PG, S0, PG, 0);
	MV("same with ALLOW_SRC_HOLES", D0r + PG, S0, PG, MV_HOLES);
	st("D0+1 after holes-move", D0r + PG);
	MV("partial: S0+1,S0+2 present, S0+3 present; S0+4 hole; len 4p", D0r + 4 * PG, S0 + PG, 4 * PG, 0);
	st("D0+4", D0r + 4 * PG);
	st("D0+6", D0r + 6 * PG);
	st("D0+7", D0r + 7 * PG);
	teardown();

	printf("[%s] ---- partial with a present dst page in the middle\n", WHO);
	setup(F_MOVE);
	pop(S0, 3, 0x40);
	{
		long r = do_copy(U, D0r + PG, 0x99, PG);
		printf("[%s]   COPY D0+1 -> %ld\n", WHO, r);
	}
	MV("S0..S0+3 -> D0..D0+3 with D0+1 present", D0r, S0, 3 * PG, 0);
	st("D0", D0r);
	st("S0+1", S0 + PG);
	MV("dst present + src in a hole VMA", D0r + PG, S0 + 0x10000, PG, 0);
	MV("dst present + src pte none", D0r + PG, S0 + 5 * PG, PG, 0);
	MV("dst present + mode unknown", D0r + PG, S0, PG, 8);
	MV("dst hole + src hole", D0r + 0x10000, S0 + 0x10000, PG, 0);
	MV("dst unregistered + src hole", S0 + 4 * PG, S0 + 0x10000, PG, 0);
	MV("dst hole + src unaligned", D0r + 0x10000, S0 + 1, PG, 0);
	teardown();

	printf("[%s] ---- src never touched (no page table at all)\n", WHO);
	setup(F_MOVE);
	MV("src VMA never touched, no HOLES", D0r, S0, 2 * PG, 0);
	MV("src VMA never touched, ALLOW_SRC_HOLES", D0r, S0, 2 * PG, MV_HOLES);
	MV("src VMA never touched, ALLOW_SRC_HOLES 16p", D0r, S0, 16 * PG, MV_HOLES);
	layout("after", S0, D0r + 16 * PG);
	st("D0", D0r);
	teardown();
}
static void vma_kind_cases(void)
{
	printf("[%s] ---- VMA kinds (features=MOVE)\n", WHO);
	setup(F_MOVE);
	pop(S0, 4, 0x40);
	int mfd = memfd_create("m", 0);
	ftruncate(mfd, 4 * PG);
	map_at(C0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	pop(C0, 2, 0x50);
	map_at(C0 + 8 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd);
	pop(C0 + 8 * PG, 2, 0x58);
	map_at(C0 + 16 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	pop(C0 + 16 * PG, 2, 0x5c);
	MV("src memfd MAP_SHARED", D0r, C0, PG, 0);
	MV("src memfd MAP_PRIVATE (COWed page)", D0r, C0 + 8 * PG, PG, 0);
	MV("src shared anon", D0r, C0 + 16 * PG, PG, 0);
	uffd_reg(U, C0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	uffd_reg(U, C0 + 16 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	MV("dst memfd MAP_SHARED registered (C0+2)", C0 + 2 * PG, S0, PG, 0);
	MV("dst shared anon registered (C0+18)", C0 + 18 * PG, S0, PG, 0);
	/* prot mismatch */
	map_at(D0, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, D0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	MV("dst PROT_READ registered, src rw", D0, S0, PG, 0);
	map_at(D0 + 8 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	(void)*(volatile char *)(D0 + 8 * PG);
	MV("both PROT_READ (src D0+8 zero page, dst D0)", D0, D0 + 8 * PG, PG, 0);
	/* mlock mismatch */
	map_at(D0 + 16 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	pop(D0 + 16 * PG, 2, 0x30);
	int r = mlock((void *)(D0 + 16 * PG), 4 * PG);
	printf("[%s]   mlock src -> %d\n", WHO, r);
	MV("src mlocked, dst not", D0r + 2 * PG, D0 + 16 * PG, PG, 0);
	/* WP-only registered dst */
	map_at(D0 + 24 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, D0 + 24 * PG, 4 * PG, UFFDIO_REGISTER_MODE_WP, NULL);
	MV("dst registered WP-only", D0 + 24 * PG, S0, PG, 0);
	/* dst registered by another uffd */
	int U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, F_MOVE);
	map_at(D0 + 32 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U2, D0 + 32 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	MV("dst registered by ANOTHER uffd", D0 + 32 * PG, S0 + PG, PG, 0);
	/* src registered (by U) */
	map_at(D0 + 40 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	pop(D0 + 40 * PG, 1, 0x31);
	uffd_reg(U, D0 + 40 * PG, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	MV("src in another VMA registered by U", D0r + 3 * PG, D0 + 40 * PG, PG, 0);
	st("dst", D0r + 3 * PG);
	close(U2);
	close(mfd);
	teardown();
}
static void fork_cases(void)
{
	printf("[%s] ---- src page shared with a forked child\n", WHO);
	setup(F_MOVE);
	pop(S0, 4, 0x40);
	int p[2];
	pipe(p);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char x;
		read(p[0], &x, 1);
		/* child: MOVE through the inherited uffd (ctx mm = parent) */
		struct uffdio_move_ m = {.dst = D0r + 10 * PG, .src = S0 + 3 * PG, .len = PG, .move = SENT};
		int rr = ioctl(U, UFFDIO_MOVE_, &m);
		printf("[%s]   CHILD: MOVE via inherited uffd -> %d %s move=%s\n", WHO, rr, rr ? en(errno) : "-", m.move == SENT ? "untouched" : "set");
		fflush(stdout);
		_exit(0);
	}
	MV("S0 (shared with live child) -> D0", D0r, S0, PG, 0);
	MV("S0..S0+3 (all shared) -> D0", D0r, S0, 4 * PG, 0);
	write(p[1], "g", 1);
	waitpid(c, NULL, 0);
	MV("S0 after child exited (page not yet re-exclusive)", D0r, S0, PG, 0);
	(void)*(volatile unsigned char *)S0;
	MV("S0 after a READ by parent", D0r, S0, PG, 0);
	*(volatile unsigned char *)S0 = 0x99;
	MV("S0 after a WRITE by parent", D0r, S0, PG, 0);
	st("D0", D0r);
	/* MADV_DONTFORK source: child does not share it */
	*(volatile unsigned char *)(S0 + PG) = 0x98; /* make it exclusive again */
	madvise((void *)(S0 + PG), PG, MADV_DONTFORK);
	c = fork();
	if (c == 0) { usleep(300000); _exit(0); }
	usleep(50000);
	MV("S0+1 with MADV_DONTFORK while child alive (VMA split!)", D0r + PG, S0 + PG, PG, 0);
	waitpid(c, NULL, 0);
	teardown();
}
static void wake_cases(void)
{
	printf("[%s] ---- MOVE resolving a blocked fault (wake) and DONTWAKE\n", WHO);
	setup(F_MOVE);
	pop(S0, 4, 0x40);
	struct actor t = {.name = "read D0+5", .fn = touch_fn, .a = {D0r + 5 * PG}};
	actor_start(&t);
	usleep(200000);
	struct uffd_msg m;
	if (read1(U, 300, &m)) print_msg("fault", &m);
	MV("S0 -> D0+5 (wakes)", D0r + 5 * PG, S0, PG, 0);
	actor_finish(&t, 2000);
	printf("[%s]   toucher got %#lx\n", WHO, t.ret);
	t = (struct actor){.name = "read D0+6", .fn = touch_fn, .a = {D0r + 6 * PG}};
	actor_start(&t);
	usleep(200000);
	if (read1(U, 300, &m)) print_msg("fault", &m);
	MV("S0+1 -> D0+6 DONTWAKE", D0r + 6 * PG, S0 + PG, PG, MV_DONTWAKE);
	usleep(200000);
	printf("[%s]   toucher done after DONTWAKE move: %d\n", WHO, t.done);
	struct uffdio_range wr = {D0r + 6 * PG, PG};
	ioctl(U, UFFDIO_WAKE, &wr);
	actor_finish(&t, 2000);
	printf("[%s]   toucher got %#lx after WAKE\n", WHO, t.ret);
	/* pointer faults */
	int e;
	long r = xioctl(U, UFFDIO_MOVE_, NULL, &e);
	printf("[%s]   MOVE arg NULL -> %ld %s\n", WHO, r, r ? en(e) : "-");
	struct uffdio_move_ *ro = mmap((void *)(BASE + 0x500000), PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	*ro = (struct uffdio_move_){.dst = D0r + 7 * PG, .src = S0 + 2 * PG, .len = PG, .move = SENT};
	mprotect(ro, PG, PROT_READ);
	r = xioctl(U, UFFDIO_MOVE_, ro, &e);
	printf("[%s]   MOVE with struct on a read-only page -> %ld %s move=%#llx\n", WHO, r, r ? en(e) : "-", (unsigned long long)ro->move);
	st("D0+7 (moved?)", D0r + 7 * PG);
	st("S0+2", S0 + 2 * PG);
	teardown();
}
static void overlap_cases(void)
{
	printf("[%s] ---- overlapping src/dst inside the registered VMA\n", WHO);
	setup(F_MOVE);
	long r = do_copy(U, D0r, 0xa0, PG);
	printf("[%s]   COPY D0=0xa0 -> %ld\n", WHO, r);
	MV("src=D0 dst=D0+1 len 2p (D0 present, D0+1/D0+2 empty)", D0r + PG, D0r, 2 * PG, 0);
	for (int i = 0; i < 3; i++) st("D0+i", D0r + i * PG);
	MV("src=D0+1 dst=D0 len 2p (reverse) ALLOW_SRC_HOLES", D0r, D0r + PG, 2 * PG, MV_HOLES);
	for (int i = 0; i < 3; i++) st("D0+i", D0r + i * PG);
	MV("src == dst (D0+1, present?)", D0r + PG, D0r + PG, PG, 0);
	MV("src == dst (D0+4 hole)", D0r + 4 * PG, D0r + 4 * PG, PG, 0);
	MV("src == dst (D0+4 hole) ALLOW_SRC_HOLES", D0r + 4 * PG, D0r + 4 * PG, PG, MV_HOLES);
	teardown();

	printf("[%s] ---- overlap: src=D0..D0+1 (both present) dst=D0+1 len 2p\n", WHO);
	setup(F_MOVE);
	do_copy(U, D0r, 0xa0, 2 * PG);
	MV("src=D0 dst=D0+1 len 2p (D0,D0+1 present)", D0r + PG, D0r, 2 * PG, 0);
	for (int i = 0; i < 3; i++) st("D0+i", D0r + i * PG);
	teardown();
}
static void thp_info(const char *tag)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char l[256];
	unsigned long s = 0, e = 0;
	while (fgets(l, sizeof l, f)) {
		unsigned long a, b;
		if (sscanf(l, "%lx-%lx ", &a, &b) == 2 && l[strspn(l, "0123456789abcdef")] == '-') { s = a; e = b; continue; }
		if (s >= THS && s < THD + 0x200000 && !strncmp(l, "AnonHugePages", 13)) printf("[%s]   %s %lx-%lx %s", WHO, tag, s, e, l);
	}
	fclose(f);
}
static void thp_cases(void)
{
	printf("[%s] ---- THP source\n", WHO);
	setup(F_MOVE);
	map_at(THS, 0x200000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise((void *)THS, 0x200000, MADV_HUGEPAGE);
	memset((void *)THS, 0x33, 0x200000);
	map_at(THD, 0x200000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise((void *)THD, 0x200000, MADV_HUGEPAGE);
	uffd_reg(U, THD, 0x200000, UFFDIO_REGISTER_MODE_MISSING, NULL);
	thp_info("before");
	MV("2 MiB THP -> 2 MiB aligned registered dst", THD, THS, 0x200000, 0);
	layout("after THP move", THS, THD + 0x200000);
	thp_info("after 2M move");
	st("THD", THD);
	st("THD+1p", THD + PG);
	/* 4 KiB move out of a THP: move it back into the source? source is unregistered -> move D->? need registered dst: use D0r */
	MV("4 KiB out of the THP at THD+5p -> D0", D0r, THD + 5 * PG, PG, 0);
	layout("after 4K move out of THP", THD, THD + 0x200000);
	thp_info("after 4K move");
	st("D0", D0r);
	teardown();
}
static void no_feature_case(void)
{
	printf("[%s] ---- MOVE on a ctx WITHOUT UFFD_FEATURE_MOVE\n", WHO);
	setup(0);
	pop(S0, 1, 0x40);
	MV("S0 -> D0 (features 0)", D0r, S0, PG, 0);
	st("D0", D0r);
	teardown();
}
static void body(void)
{
	no_feature_case();
	success_cases(F_MOVE);
	error_cases();
	vma_kind_cases();
	fork_cases();
	wake_cases();
	overlap_cases();
	thp_cases();
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e07_move", body);
	return 0;
}
