/* Item 3: UFFDIO_REGISTER */
#include "common.h"

static int U;          /* uffd of the current case */
static int uffd_flags; /* 0 for root, USER_MODE_ONLY for unpriv (added by new_uffd) */

static const char *ionames(__u64 m, char *b)
{
	static const char *n[] = {"REGISTER", "UNREGISTER", "WAKE", "COPY", "ZEROPAGE", "MOVE", "WRITEPROTECT", "CONTINUE", "POISON"};
	b[0] = 0;
	for (int i = 0; i < 64; i++)
		if (m >> i & 1) {
			strcat(b, i < 9 ? n[i] : (i == 63 ? "API" : "?"));
			strcat(b, "|");
		}
	if (b[0]) b[strlen(b) - 1] = 0;
	return b;
}

static long REG(const char *label, int fd, unsigned long start, unsigned long len, __u64 mode)
{
	struct uffdio_register r = {.range = {start, len}, .mode = mode, .ioctls = 0x5a5a5a5a5a5a5a5aULL};
	int e;
	long ret = xioctl(fd, UFFDIO_REGISTER, &r, &e);
	char b[200];
	printf("[%s] REGISTER %-52s start=%#lx len=%#lx mode=%#llx -> ret=%ld errno=%s ioctls=%#llx%s%s%s\n", WHO, label, start, len,
	       (unsigned long long)mode, ret, ret ? en(e) : "-", (unsigned long long)r.ioctls,
	       r.ioctls == 0x5a5a5a5a5a5a5a5aULL ? " (untouched)" : " (", r.ioctls == 0x5a5a5a5a5a5a5a5aULL ? "" : ionames(r.ioctls, b),
	       r.ioctls == 0x5a5a5a5a5a5a5a5aULL ? "" : ")");
	if (r.range.start != start || r.range.len != len || r.mode != mode)
		printf("[%s]    !! range/mode fields modified: %#llx %#llx %#llx\n", WHO, (unsigned long long)r.range.start,
		       (unsigned long long)r.range.len, (unsigned long long)r.mode);
	return ret ? -e : 0;
}

static long UNREG(const char *label, int fd, unsigned long start, unsigned long len)
{
	struct uffdio_range r = {start, len};
	int e;
	long ret = xioctl(fd, UFFDIO_UNREGISTER, &r, &e);
	printf("[%s] UNREGISTER %-50s start=%#lx len=%#lx -> ret=%ld errno=%s\n", WHO, label, start, len, ret, ret ? en(e) : "-");
	return ret ? -e : 0;
}

static int mk(void)
{
	int fd = new_uffd(O_CLOEXEC);
	uffd_api(fd, 0);
	return fd;
}

static void run_case(const char *name, void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (!p) {
		printf("[%s] --- case: %s\n", WHO, name);
		U = mk();
		fn();
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("[%s] --- case %s died: %s %d\n", WHO, name, WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

#define A BASE                  /* private anon, 4 pages */
#define S (BASE + 0x1000000UL)  /* shared anon, 4 pages */
#define M (BASE + 0x2000000UL)  /* memfd MAP_SHARED, 4 pages */
#define P (BASE + 0x3000000UL)  /* memfd MAP_PRIVATE, 4 pages */
static int memfd(void)
{
	int fd = memfd_create("uffdprobe", MFD_CLOEXEC);
	ftruncate(fd, 16 * PG);
	return fd;
}

static void c_modes(void)
{
	int mfd = memfd();
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(S, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	map_at(M, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	map_at(P, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd);
	struct { const char *n; unsigned long a; } maps[] = {{"private-anon", A}, {"shared-anon", S}, {"memfd-shared", M}, {"memfd-private", P}};
	__u64 modes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x11, 1ULL << 63};
	for (int i = 0; i < 4; i++)
		for (unsigned j = 0; j < sizeof modes / sizeof *modes; j++) {
			char l[80];
			snprintf(l, sizeof l, "%s", maps[i].n);
			long r = REG(l, U, maps[i].a, 4 * PG, modes[j]);
			if (!r) {
				smaps_range("after", maps[i].a, maps[i].a + 4 * PG);
				UNREG("(cleanup)", U, maps[i].a, 4 * PG);
			}
		}
	smaps_range("final private-anon", A, A + 4 * PG);
}

static void c_ranges(void)
{
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("start unaligned (+1)", U, A + 1, PG, 1);
	REG("start unaligned (+0x800)", U, A + 0x800, PG, 1);
	REG("len unaligned (PG+1)", U, A, PG + 1, 1);
	REG("len unaligned (1)", U, A, 1, 1);
	REG("len 0", U, A, 0, 1);
	REG("start 0", U, 0, PG, 1);
	REG("start 0x1000 (hole, ==mmap_min_addr)", U, 0x1000, PG, 1);
	REG("start+len overflow", U, A, 0xfffff00000000000UL, 1);
	REG("len=-4096 (0xfffffffffffff000)", U, A, 0xfffffffffffff000UL, 1);
	REG("start=TASK_SIZE 0x7ffffffff000", U, 0x7ffffffff000UL, PG, 1);
	REG("start=0x7fffffffe000 len 2PG (end>TASK_SIZE)", U, 0x7fffffffe000UL, 2 * PG, 1);
	REG("start=0x7fffffffe000 len PG (end==TASK_SIZE, hole)", U, 0x7fffffffe000UL, PG, 1);
	REG("start=0x800000000000 (>TASK_SIZE)", U, 0x800000000000UL, PG, 1);
	REG("start=0xffff800000000000 (kernel)", U, 0xffff800000000000UL, PG, 1);
	REG("entirely in hole (A+16PG)", U, A + 16 * PG, 2 * PG, 1);
	REG("entirely in hole just below A", U, A - 2 * PG, 2 * PG, 1);
	REG("start in hole, touching VMA (A-PG, 2PG)", U, A - PG, 2 * PG, 1);
	smaps_range("after hole-start", A - PG, A + 4 * PG);
	UNREG("(cleanup)", U, A, 4 * PG);
	REG("VMA then hole after (A+3PG, 3PG)", U, A + 3 * PG, 3 * PG, 1);
	smaps_range("after hole-end", A, A + 8 * PG);
	UNREG("(cleanup)", U, A, 4 * PG);
	/* bad pointers */
	R("REGISTER(NULL)", ioctl(U, UFFDIO_REGISTER, NULL));
	R("REGISTER((void*)8)", ioctl(U, UFFDIO_REGISTER, (void *)8));
	/* ioctls field on a read-only page: registration happens, then EFAULT? */
	char *ro = mmap((void *)(BASE + 0x5000000UL), 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	struct uffdio_register *rr = (void *)(ro + PG - 24); /* last 8 bytes (ioctls) on second page */
	rr->range.start = A; rr->range.len = PG; rr->mode = 1;
	mprotect(ro + PG, PG, PROT_READ);
	R("REGISTER(struct with ioctls field on RO page)", ioctl(U, UFFDIO_REGISTER, rr));
	printf("[%s]    ioctls field after: %#llx\n", WHO, (unsigned long long)rr->ioctls);
	smaps_range("after EFAULT-writeback", A, A + 4 * PG);
	mprotect(ro + PG, PG, PROT_NONE);
	rr->range.start = A + PG;
	R("REGISTER(struct with ioctls field on PROT_NONE page)", ioctl(U, UFFDIO_REGISTER, rr));
	smaps_range("after EFAULT-writeback2", A, A + 4 * PG);
	struct uffdio_register *r3 = (void *)(ro + PG - 16); /* mode on bad page */
	r3->range.start = A + 2 * PG; r3->range.len = PG;
	R("REGISTER(struct with mode field on PROT_NONE page)", ioctl(U, UFFDIO_REGISTER, r3));
	smaps_range("after EFAULT-read", A, A + 4 * PG);
}

static void c_split(void)
{
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	smaps_range("before", A, A + 4 * PG);
	REG("middle 2 pages of 4-page VMA", U, A + PG, 2 * PG, 1);
	smaps_range("after", A, A + 4 * PG);
	REG("whole VMA range again MISSING", U, A, 4 * PG, 1);
	smaps_range("after whole", A, A + 4 * PG);
	UNREG("middle page", U, A + PG, PG);
	smaps_range("after unreg middle", A, A + 4 * PG);
	UNREG("whole", U, A, 4 * PG);
	smaps_range("after unreg whole", A, A + 4 * PG);
	REG("first page only, WP", U, A, PG, 2);
	smaps_range("after", A, A + 4 * PG);
	REG("last page only, MISSING|WP", U, A + 3 * PG, PG, 3);
	smaps_range("after", A, A + 4 * PG);
	UNREG("whole", U, A, 4 * PG);
	smaps_range("after unreg whole", A, A + 4 * PG);
	/* VmFlags order with other flags */
	mlock((void *)A, 4 * PG);
	madvise((void *)A, 4 * PG, MADV_DONTDUMP);
	REG("mlocked+dontdump VMA, MISSING|WP", U, A, 4 * PG, 3);
	smaps_range("order", A, A + 4 * PG);
	UNREG("whole", U, A, 4 * PG);
	munlock((void *)A, 4 * PG);
	/* minor on shmem for 'ui' */
	int mfd = memfd();
	map_at(M, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	REG("memfd-shared MISSING|WP|MINOR", U, M, 4 * PG, 7);
	smaps_range("order shmem", M, M + 4 * PG);
}

static void c_multi(void)
{
	/* two VMAs with a hole between */
	map_at(A, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(A + 3 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("two VMAs with 1-page hole between (A,5PG)", U, A, 5 * PG, 1);
	smaps_range("after", A, A + 5 * PG);
	UNREG("two VMAs with hole (A,5PG)", U, A, 5 * PG);
	smaps_range("after unreg", A, A + 5 * PG);
	/* two adjacent VMAs differing in prot */
	map_at(S, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(S + 2 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	smaps_range("adjacent before", S, S + 4 * PG);
	REG("two adjacent VMAs rw|r, partial both (S+PG,2PG)", U, S + PG, 2 * PG, 1);
	smaps_range("adjacent after", S, S + 4 * PG);
}

static void c_other_uffd(void)
{
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	int u2 = mk();
	REG("uffd#1 whole", U, A, 4 * PG, 1);
	REG("uffd#2 same range", u2, A, 4 * PG, 1);
	REG("uffd#2 same range mode WP", u2, A, 4 * PG, 2);
	REG("uffd#2 subrange", u2, A + PG, PG, 1);
	UNREG("uffd#2 unregister range owned by uffd#1", u2, A, 4 * PG);
	smaps_range("after uffd#2 unreg", A, A + 4 * PG);
	REG("uffd#1 again (re-register)", U, A, 4 * PG, 1);
	/* order: unaligned + EBUSY */
	REG("uffd#2 start unaligned on busy VMA", u2, A + 1, PG, 1);
	REG("uffd#2 mode 0 on busy VMA", u2, A, PG, 0);
	REG("uffd#2 mode 8 on busy VMA", u2, A, PG, 8);
	REG("uffd#2 MINOR (incompatible anon) on busy VMA", u2, A, PG, 4);
	/* partial: uffd#1 owns page 0 only; uffd#2 registers pages 0..3 */
	UNREG("uffd#1 whole", U, A, 4 * PG);
	REG("uffd#1 page 2 only", U, A + 2 * PG, PG, 1);
	REG("uffd#2 pages 0..3 (page 2 busy)", u2, A, 4 * PG, 1);
	smaps_range("after busy partial", A, A + 4 * PG);
	/* close uffd#1 then uffd#2 can register */
	close(U);
	usleep(1000);
	smaps_range("after close uffd#1", A, A + 4 * PG);
	REG("uffd#2 pages 0..3 after close(uffd#1)", u2, A, 4 * PG, 1);
}

static void c_same_uffd_modes(void)
{
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("MISSING", U, A, 4 * PG, 1);
	smaps_range("after MISSING", A, A + 4 * PG);
	REG("then WP (same uffd)", U, A, 4 * PG, 2);
	smaps_range("after WP", A, A + 4 * PG);
	REG("then MISSING|WP", U, A, 4 * PG, 3);
	smaps_range("after MISSING|WP", A, A + 4 * PG);
	REG("then MISSING (subset)", U, A, 4 * PG, 1);
	smaps_range("after MISSING subset", A, A + 4 * PG);
	REG("then WP (subset)", U, A, 4 * PG, 2);
	smaps_range("after WP subset", A, A + 4 * PG);
	REG("then MISSING on page 1 only (subset)", U, A + PG, PG, 1);
	smaps_range("after", A, A + 4 * PG);
	UNREG("all", U, A, 4 * PG);
	REG("WP on page 1 only", U, A + PG, PG, 2);
	REG("then MISSING on pages 0..3", U, A, 4 * PG, 1);
	smaps_range("after", A, A + 4 * PG);
	REG("same MISSING again", U, A, 4 * PG, 1);
	smaps_range("after", A, A + 4 * PG);
}

static void c_vma_kinds(void)
{
	map_at(A, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("PROT_NONE private anon MISSING", U, A, 4 * PG, 1);
	REG("PROT_NONE private anon WP", U, A, 4 * PG, 2);
	smaps_range("prot_none", A, A + 4 * PG);
	map_at(S, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("PROT_READ private anon MISSING|WP", U, S, 4 * PG, 3);
	map_at(S + 0x100000, 4 * PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1);
	REG("PROT_READ shared anon MISSING|WP|MINOR", U, S + 0x100000, 4 * PG, 7);
	map_at(S + 0x200000, 4 * PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1);
	REG("PROT_NONE shared anon MISSING", U, S + 0x200000, 4 * PG, 1);
	int r = mlock(map_at(S + 0x300000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1), 4 * PG);
	printf("[%s]    mlock ret=%d\n", WHO, r);
	REG("mlocked private anon MISSING", U, S + 0x300000, 4 * PG, 1);
	smaps_range("mlocked", S + 0x300000, S + 0x300000 + 4 * PG);
	map_at(S + 0x400000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1);
	REG("MAP_LOCKED private anon MISSING", U, S + 0x400000, 4 * PG, 1);
	void *d = mmap((void *)(S + 0x500000), 4 * PG, PROT_READ | PROT_WRITE, 0x08 | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("[%s]    mmap MAP_DROPPABLE -> %p\n", WHO, d);
	if (d != MAP_FAILED) {
		REG("MAP_DROPPABLE MISSING", U, S + 0x500000, 4 * PG, 1);
		REG("MAP_DROPPABLE WP", U, S + 0x500000, 4 * PG, 2);
		smaps_range("droppable", S + 0x500000, S + 0x500000 + 4 * PG);
	}
	map_at(S + 0x600000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise((void *)(S + 0x600000), 4 * PG, MADV_DONTFORK);
	madvise((void *)(S + 0x600000), 2 * PG, MADV_WIPEONFORK);
	REG("DONTFORK/WIPEONFORK anon MISSING", U, S + 0x600000, 4 * PG, 1);
	smaps_range("dontfork", S + 0x600000, S + 0x600000 + 4 * PG);
	map_at(S + 0x700000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1);
	REG("MAP_GROWSDOWN anon MISSING", U, S + 0x700000, 4 * PG, 1);
	smaps_range("growsdown", S + 0x700000 - PG, S + 0x700000 + 4 * PG);
	/* THP-madvised */
	map_at(S + 0x800000, 0x400000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise((void *)(S + 0x800000), 0x400000, MADV_HUGEPAGE);
	REG("MADV_HUGEPAGE anon 4MB MISSING", U, S + 0x800000, 0x400000, 1);
	smaps_range("hugepage", S + 0x800000, S + 0xc00000);
	/* vdso / vvar */
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		if (strstr(line, "[vdso]") || strstr(line, "[vvar]") || strstr(line, "[vvar_vclock]") || strstr(line, "[stack]") || strstr(line, "[heap]")) {
			sscanf(line, "%lx-%lx", &s, &e);
			char l[64];
			line[strlen(line) - 1] = 0;
			snprintf(l, sizeof l, "%s MISSING", strrchr(line, ' ') + 1);
			REG(l, U, s, e - s, 1);
			if (strstr(line, "[vdso]") || strstr(line, "[vvar]")) {
				snprintf(l, sizeof l, "%s WP", strrchr(line, ' ') + 1);
				REG(l, U, s, e - s, 2);
			}
		}
	}
	fclose(f);
	/* regular file (ext4) */
	int rf = open("/tmp/uffd-probes/regfile", O_RDONLY);
	map_at(S + 0xd00000, 4 * PG, PROT_READ, MAP_PRIVATE, rf);
	REG("ext4 file MAP_PRIVATE (O_RDONLY) MISSING", U, S + 0xd00000, 4 * PG, 1);
	REG("ext4 file MAP_PRIVATE (O_RDONLY) WP", U, S + 0xd00000, 4 * PG, 2);
	REG("ext4 file MAP_PRIVATE (O_RDONLY) MINOR", U, S + 0xd00000, 4 * PG, 4);
	map_at(S + 0xe00000, 4 * PG, PROT_READ, MAP_SHARED, rf);
	REG("ext4 file MAP_SHARED O_RDONLY MISSING (EINVAL vs EPERM)", U, S + 0xe00000, 4 * PG, 1);
	REG("ext4 file MAP_SHARED O_RDONLY WP", U, S + 0xe00000, 4 * PG, 2);
	/* memfd read-only: reopen O_RDONLY, MAP_SHARED -> no VM_MAYWRITE */
	int mfd = memfd();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", mfd);
	int rofd = open(path, O_RDONLY);
	map_at(M, 4 * PG, PROT_READ, MAP_SHARED, rofd);
	smaps_range("memfd ro shared", M, M + 4 * PG);
	REG("memfd MAP_SHARED via O_RDONLY fd MISSING", U, M, 4 * PG, 1);
	REG("memfd MAP_SHARED via O_RDONLY fd MINOR", U, M, 4 * PG, 4);
	REG("memfd MAP_SHARED via O_RDONLY fd WP", U, M, 4 * PG, 2);
	REG("memfd MAP_SHARED via O_RDONLY fd mode 0 (order)", U, M, 4 * PG, 0);
	REG("memfd MAP_SHARED via O_RDONLY fd unaligned (order)", U, M + 1, PG, 1);
	map_at(P, 4 * PG, PROT_READ, MAP_PRIVATE, rofd);
	REG("memfd MAP_PRIVATE via O_RDONLY fd MISSING", U, P, 4 * PG, 1);
	/* sealed memfd */
	int sfd = memfd_create("sealed", MFD_ALLOW_SEALING);
	ftruncate(sfd, 4 * PG);
	printf("[%s]    F_ADD_SEALS(F_SEAL_WRITE) = %d\n", WHO, fcntl(sfd, F_ADD_SEALS, F_SEAL_WRITE));
	map_at(P + 0x100000, 4 * PG, PROT_READ, MAP_SHARED, sfd);
	REG("sealed(F_SEAL_WRITE) memfd MAP_SHARED PROT_READ MISSING", U, P + 0x100000, 4 * PG, 1);
	/* ordering: EPERM VMA followed by EBUSY VMA, and vice versa */
	int u2 = mk();
	map_at(P + 0x200000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("(setup) uffd#2 registers anon right after RO memfd", u2, P + 0x200000, 4 * PG, 1);
	map_at(P + 0x200000 - 4 * PG, 4 * PG, PROT_READ, MAP_SHARED, rofd);
	REG("range [EPERM VMA][EBUSY VMA]", U, P + 0x200000 - 4 * PG, 8 * PG, 1);
	map_at(P + 0x200000 + 4 * PG, 4 * PG, PROT_READ, MAP_SHARED, rofd);
	REG("range [EBUSY VMA][EPERM VMA]", U, P + 0x200000, 8 * PG, 1);
	map_at(P + 0x200000 + 8 * PG, 4 * PG, PROT_READ, MAP_PRIVATE, rf);
	REG("range [EPERM VMA][ext4 file VMA (EINVAL)]", U, P + 0x200000 + 4 * PG, 8 * PG, 1);
	REG("range [EBUSY VMA][EPERM][EINVAL]", U, P + 0x200000, 12 * PG, 1);
	REG("range [EBUSY VMA] MINOR (incompatible+busy)", U, P + 0x200000, 4 * PG, 4);
	REG("range [EPERM memfd VMA][EBUSY anon] MINOR", U, P + 0x200000 - 4 * PG, 8 * PG, 4);
	/* hole then EPERM */
	REG("range [hole][EPERM VMA]", U, P + 0x200000 - 5 * PG, 5 * PG, 1);
	smaps_range("order area", P + 0x200000 - 4 * PG, P + 0x200000 + 12 * PG);
}

static void c_wp_async(void)
{
	/* WP_ASYNC context: WP-only on an ext4 file mapping */
	close(U);
	U = new_uffd(O_CLOEXEC);
	uffd_api(U, UFFD_FEATURE_WP_ASYNC);
	int rf = open("/tmp/uffd-probes/regfile", O_RDONLY);
	map_at(S + 0xd00000, 4 * PG, PROT_READ, MAP_PRIVATE, rf);
	REG("WP_ASYNC ctx: ext4 file MAP_PRIVATE WP", U, S + 0xd00000, 4 * PG, 2);
	REG("WP_ASYNC ctx: ext4 file MAP_PRIVATE MISSING|WP", U, S + 0xd00000, 4 * PG, 3);
	smaps_range("wp_async file", S + 0xd00000, S + 0xd00000 + 4 * PG);
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG("WP_ASYNC ctx: anon MISSING|WP", U, A, 4 * PG, 3);
	REG("WP_ASYNC ctx: anon MINOR", U, A, 4 * PG, 4);
}

static void c_features_needed(void)
{
	/* ctx with features=0: does registering shmem MISSING/MINOR/WP need MISSING_SHMEM/MINOR_SHMEM/WP_HUGETLBFS_SHMEM? */
	int mfd = memfd();
	map_at(M, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	REG("features=0 ctx, memfd-shared MISSING", U, M, 4 * PG, 1);
	REG("features=0 ctx, memfd-shared MINOR", U, M, 4 * PG, 4);
	REG("features=0 ctx, memfd-shared WP", U, M, 4 * PG, 2);
	smaps_range("memfd", M, M + 4 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int f = open("/tmp/uffd-probes/regfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char b[4 * 4096];
	memset(b, 'F', sizeof b);
	write(f, b, sizeof b);
	close(f);
	(void)uffd_flags;
	void body(void)
	{
		run_case("modes", c_modes);
		run_case("ranges", c_ranges);
		run_case("split", c_split);
		run_case("multi", c_multi);
		run_case("other_uffd", c_other_uffd);
		run_case("same_uffd_modes", c_same_uffd_modes);
		run_case("vma_kinds", c_vma_kinds);
		run_case("wp_async", c_wp_async);
		run_case("features_needed", c_features_needed);
	}
	run_both("p03_register", body);
	return 0;
}
