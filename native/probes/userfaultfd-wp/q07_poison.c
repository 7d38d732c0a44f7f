/* F: UFFDIO_POISON */
#include "common2.h"
static int U;
#define P(l, s, n, m) POISON(U, s, n, m, l)
struct th_arg { unsigned long a; int w; volatile int done; volatile int sig; };
static void *th_access(void *p)
{
	struct th_arg *x = p;
	x->sig = access_at("thread", x->a, x->w, 0x5);
	x->done = 1;
	return NULL;
}
static void body(void)
{
	catch_sigs();
	{
		int u = new_uffd(O_CLOEXEC);
		struct uffdio_poison_ p = {{BASE, PG}, 0, SENT};
		errno = 0; int r = ioctl(u, UFFDIO_POISON_, &p);
		printf("[%s] POISON before API -> %d %s updated=%lld\n", WHO, r, r ? en(errno) : "-", (long long)p.updated);
		close(u);
	}
	printf("[%s] ===== no UFFD_FEATURE_POISON =====\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, 0);
	map_at(BASE, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	__u64 ioc = 0;
	uffd_reg(U, BASE, 16 * PG, 1, &ioc);
	printf("[%s]   register ioctls=%#llx\n", WHO, (unsigned long long)ioc);
	P("valid range, no feature", BASE, PG, 0);
	P("no feature + hole", BASE + 32 * PG, PG, 0);
	P("no feature + mode 2", BASE, PG, 2);
	P("no feature + unaligned", BASE + 1, PG, 0);
	pm("page0", BASE);
	close(U); munmap((void *)BASE, 16 * PG);

	printf("[%s] ===== UFFD_FEATURE_POISON, private anon MISSING =====\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_POISON);
	map_at(BASE, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(BASE + 16 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1); /* unregistered, adjacent (different flags) */
	*(volatile char *)(BASE + 5 * PG) = 5;
	(void)*(volatile char *)(BASE + 6 * PG);
	*(volatile char *)(BASE + 9 * PG) = 9;
	uffd_reg(U, BASE, 16 * PG, 1, NULL);
	vmas("layout", BASE, BASE + 18 * PG);
	P("ok page0", BASE, PG, 0);
	pm("page0 poisoned", BASE);
	vmas("after poison", BASE, BASE + 16 * PG);
	P("ok pages1-2", BASE + PG, 2 * PG, 0);
	P("DONTWAKE page3", BASE + 3 * PG, PG, POISON_DONTWAKE);
	P("again over poisoned page0", BASE, PG, 0);
	P("present page5", BASE + 5 * PG, PG, 0);
	P("zero page6", BASE + 6 * PG, PG, 0);
	P("partial 4 empty,5 present", BASE + 4 * PG, 2 * PG, 0);
	pm("page4", BASE + 4 * PG);
	P("partial 8 empty,9 present,10 empty", BASE + 8 * PG, 3 * PG, 0);
	pm("page10", BASE + 10 * PG);
	P("unaligned start", BASE + 1, PG, 0);
	P("unaligned start 0x800", BASE + 0x800, PG, 0);
	P("unaligned len", BASE, PG + 1, 0);
	P("len 0", BASE, 0, 0);
	P("start 0 len PG", 0, PG, 0);
	P("start TASK_SIZE", 0x7ffffffff000UL, PG, 0);
	P("end > TASK_SIZE", 0x7fffffffe000UL, 2 * PG, 0);
	P("len overflow", BASE, 0xfffffffffffff000UL, 0);
	P("mode 2", BASE + 11 * PG, PG, 2);
	P("mode 1<<63", BASE + 11 * PG, PG, 1ULL << 63);
	P("hole", BASE + 32 * PG, PG, 0);
	P("unregistered vma", BASE + 16 * PG, PG, 0);
	P("crossing registered vma end (15..16)", BASE + 15 * PG, 2 * PG, 0);
	pm("page15", BASE + 15 * PG);
	P("mode 2 + hole", BASE + 32 * PG, PG, 2);
	P("unaligned + hole", BASE + 32 * PG + 1, PG, 0);
	{
		errno = 0; int r = ioctl(U, UFFDIO_POISON_, NULL);
		printf("[%s] POISON arg NULL -> %d %s\n", WHO, r, r ? en(errno) : "-");
		struct uffdio_poison_ *ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ro->range.start = BASE + 11 * PG; ro->range.len = PG; ro->mode = 0; ro->updated = SENT;
		mprotect(ro, PG, PROT_READ);
		errno = 0; r = ioctl(U, UFFDIO_POISON_, ro);
		printf("[%s] POISON struct read-only -> %d %s updated=%lld\n", WHO, r, r ? en(errno) : "-", (long long)ro->updated);
		pm("page11 (applied?)", BASE + 11 * PG);
		/* updated field unreadable: struct ends at page boundary; only 24 bytes read */
		char *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		munmap(two + PG, PG);
		struct uffdio_poison_ *st = (void *)(two + PG - 24);
		st->range.start = BASE + 12 * PG; st->range.len = PG; st->mode = 0;
		errno = 0; r = ioctl(U, UFFDIO_POISON_, st);
		printf("[%s] POISON with 'updated' field unmapped -> %d %s\n", WHO, r, r ? en(errno) : "-");
		pm("page12 (applied?)", BASE + 12 * PG);
	}
	/* access */
	printf("[%s] -- access poisoned\n", WHO);
	access_at("poisoned p0", BASE + 0x123, 0, 0);
	access_at("poisoned p0", BASE + 0x456, 1, 0x1);
	pm("page0 after access", BASE);
	{
		int pfd[2]; pipe(pfd);
		errno = 0; ssize_t n = write(pfd[1], (void *)(BASE + PG), 8);
		printf("[%s]   write(pipe, from poisoned page1) = %zd %s\n", WHO, n, n < 0 ? en(errno) : "-");
		write(pfd[1], "abc", 3);
		errno = 0; n = read(pfd[0], (void *)(BASE + PG), 3);
		printf("[%s]   read(pipe -> poisoned page1) = %zd %s\n", WHO, n, n < 0 ? en(errno) : "-");
	}
	fdinfo_of(U, "poison");
	/* COPY / ZEROPAGE over poison */
	COPY(U, BASE + PG, PG, 0, 0x77, "over poisoned page1");
	pm("page1", BASE + PG);
	access_at("page1 after COPY", BASE + PG, 0, 0);
	ZERO(U, BASE + 2 * PG, PG, 0, "over poisoned page2");
	pm("page2", BASE + 2 * PG);
	/* DONTNEED then access */
	int r = madvise((void *)(BASE + 3 * PG), PG, MADV_DONTNEED);
	printf("[%s]   MADV_DONTNEED poisoned page3 -> %d\n", WHO, r);
	pm("page3 after DONTNEED", BASE + 3 * PG);
	probe_access(U, "page3 read after DONTNEED", BASE + 3 * PG, 0, 0);
	/* mprotect, mremap of poisoned */
	mprotect((void *)(BASE + 8 * PG), PG, PROT_READ);
	pm("page8 after mprotect RO", BASE + 8 * PG);
	access_at("page8 RO", BASE + 8 * PG, 0, 0);
	mprotect((void *)(BASE + 8 * PG), PG, PROT_READ | PROT_WRITE);
	/* thread blocked on missing page 13 -> POISON wakes it -> SIGBUS in that thread */
	printf("[%s] -- poison resolves a blocked fault\n", WHO);
	{
		struct th_arg a = {BASE + 13 * PG + 8, 0, 0, 0};
		pthread_t th; pthread_create(&th, NULL, th_access, &a);
		struct uffd_msg m;
		if (read_msg(U, &m, 300)) dump_msg("missing", &m);
		P("page13 while a reader is blocked", BASE + 13 * PG, PG, 0);
		pthread_join(th, NULL);
		printf("[%s]   thread done=%d sig=%d\n", WHO, a.done, a.sig);
		struct th_arg b = {BASE + 14 * PG + 8, 1, 0, 0};
		pthread_create(&th, NULL, th_access, &b);
		if (read_msg(U, &m, 300)) dump_msg("missing", &m);
		P("page14 DONTWAKE while a writer is blocked", BASE + 14 * PG, PG, POISON_DONTWAKE);
		usleep(200000);
		printf("[%s]   thread done after 200ms=%d\n", WHO, b.done);
		ioctl(U, UFFDIO_WAKE, &(struct uffdio_range){BASE + 14 * PG, PG});
		pthread_join(th, NULL);
		printf("[%s]   after WAKE thread done=%d sig=%d\n", WHO, b.done, b.sig);
	}
	/* fork */
	printf("[%s] -- fork with poisoned pages (no EVENT_FORK)\n", WHO);
	fflush(stdout);
	pid_t c = fork();
	if (!c) {
		vmas("child", BASE, BASE + 16 * PG);
		pm("child page0", BASE);
		access_at("child page0", BASE + 0x10, 0, 0);
		pm("child page4", BASE + 4 * PG);
		access_at("child page4", BASE + 4 * PG, 1, 0);
		fflush(stdout); _exit(0);
	}
	waitpid(c, NULL, 0);
	/* UNREGISTER / close: marker persists? */
	struct uffdio_range ur = {BASE, 16 * PG};
	r = ioctl(U, UFFDIO_UNREGISTER, &ur);
	printf("[%s]   UNREGISTER -> %d\n", WHO, r);
	pm("page0 after unregister", BASE);
	access_at("page0 after unregister", BASE, 0, 0);
	close(U);
	pm("page4 after close", BASE + 4 * PG);
	access_at("page4 after close", BASE + 4 * PG, 1, 0);
	vmas("after close", BASE, BASE + 16 * PG);
	munmap((void *)BASE, 18 * PG);

	/* poison into WP-only and into markers */
	printf("[%s] ===== POISON vs WP =====\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_POISON | UFFD_FEATURE_WP_UNPOPULATED);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	P("WP-only vma page0", BASE, PG, 0);
	pm("page0", BASE);
	WP(U, "protect 0..3", BASE, 4 * PG, WPM_WP);
	pm("page0 (poisoned, after protect)", BASE);
	pm("page1 (marker)", BASE + PG);
	P("over WP marker page1", BASE + PG, PG, 0);
	WP(U, "unprotect 0..3", BASE, 4 * PG, 0);
	pm("page0 (poisoned, after unprotect)", BASE);
	access_at("page0", BASE, 0, 0);
	close(U); munmap((void *)BASE, 4 * PG);

	/* shmem */
	printf("[%s] ===== POISON on shmem =====\n", WHO);
	int mfd = memfd_create("p", 0);
	ftruncate(mfd, 4 * PG);
	map_at(BASE, 6 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd); /* pages 4,5 beyond EOF */
	pwrite(mfd, "A", 1, 1 * PG);        /* page1 in cache */
	*(volatile char *)(BASE + 2 * PG) = 'B'; /* page2 mapped */
	madvise((void *)(BASE + PG), PG, MADV_DONTNEED); /* make sure page1 is not mapped (fault-around) */
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, UFFD_FEATURE_POISON);
	uffd_reg(U, BASE, 6 * PG, 1, NULL);
	P("shmem hole page0", BASE, PG, 0);
	pm("page0", BASE);
	P("shmem page1 in cache, unmapped", BASE + PG, PG, 0);
	pm("page1", BASE + PG);
	P("shmem page2 mapped", BASE + 2 * PG, PG, 0);
	P("shmem page4 beyond EOF", BASE + 4 * PG, PG, 0);
	P("shmem page3..4 (3 ok, 4 beyond EOF)", BASE + 3 * PG, 2 * PG, 0);
	access_at("shmem page0", BASE, 0, 0);
	access_at("shmem page1", BASE + PG, 0, 0);
	{ char b = 0; ssize_t n = pread(mfd, &b, 1, PG); printf("[%s]   pread page1 -> %zd '%c'\n", WHO, n, b); }
	{ struct stat s; fstat(mfd, &s); printf("[%s]   st_blocks=%ld\n", WHO, (long)s.st_blocks); }
	void *alias = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	printf("[%s]   alias read page1 = %c, page0 = %d\n", WHO, ((char *)alias)[PG], ((char *)alias)[0]);
	munmap(alias, 4 * PG);
	fflush(stdout);
	c = fork();
	if (!c) { pm("child shmem page1", BASE + PG); access_at("child shmem page1", BASE + PG, 0, 0); fflush(stdout); _exit(0); }
	waitpid(c, NULL, 0);
	r = madvise((void *)(BASE + PG), PG, MADV_DONTNEED);
	printf("[%s]   MADV_DONTNEED poisoned shmem page1 -> %d\n", WHO, r);
	pm("page1 after DONTNEED", BASE + PG);
	access_at("shmem page1 after DONTNEED", BASE + PG, 0, 0);
	r = fallocate(mfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PG);
	printf("[%s]   PUNCH_HOLE page0 (poisoned) -> %d\n", WHO, r);
	pm("page0 after punch", BASE);
	COPY(U, BASE + 3 * PG, PG, 0, 0x33, "shmem over poisoned page3");
	pm("page3", BASE + 3 * PG);
	close(U);
	pm("page3 after close", BASE + 3 * PG);
	access_at("shmem page3 after close", BASE + 3 * PG, 0, 0);
	munmap((void *)BASE, 6 * PG);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q07_poison", body); return 0; }
