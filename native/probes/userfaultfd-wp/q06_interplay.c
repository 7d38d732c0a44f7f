/* E: fork / mprotect / mremap / MADV_DONTNEED interplay with uffd-wp on private anon */
#include "common2.h"
#define NEWA (BASE + 0x200000UL)
static int U;
static void setup(__u64 F)
{
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, F);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)BASE = 0x10;                 /* p0 present */
	(void)*(volatile char *)(BASE + PG);           /* p1 zero page */
	*(volatile char *)(BASE + 3 * PG) = 0x13;      /* p3 present, stays unprotected */
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	WP(U, "protect 0..2", BASE, 3 * PG, WPM_WP);
}
static struct uffd_msg g_ev; static int g_evgot;
static void *evreader(void *a) { g_evgot = read_msg(U, &g_ev, 2000); return NULL; }
static void show(const char *who, unsigned long a)
{
	for (int i = 0; i < 4; i++) { char b[48]; snprintf(b, sizeof b, "%s page%d", who, i); pm(b, a + i * PG); }
}
static void forkcase(__u64 F)
{
	printf("[%s] ===== fork, features=%#llx =====\n", WHO, (unsigned long long)F);
	setup(F);
	show("parent pre-fork", BASE);
	fflush(stdout);
	pid_t c = fork();
	if (!c) {
		catch_sigs();
		vmas("child", BASE, BASE + 4 * PG);
		show("child", BASE);
		access_at("child", BASE, 1, 0xc0);
		access_at("child", BASE + PG, 1, 0xc1);
		access_at("child", BASE + 2 * PG, 1, 0xc2);
		show("child after writes", BASE);
		fflush(stdout); _exit(0);
	}
	int st; waitpid(c, &st, 0);
	printf("[%s]   child exit status %#x\n", WHO, st);
	struct uffd_msg m;
	printf("[%s]   parent msgs: %s\n", WHO, read_msg(U, &m, 50) ? "YES" : "none");
	if (F & UFFD_FEATURE_EVENT_FORK) dump_msg("fork event", &m);
	show("parent post-fork", BASE);
	vmas("parent", BASE, BASE + 4 * PG);
	probe_access(U, "parent write p0 after fork", BASE, 1, 0xb0);
	pm("parent page0", BASE);
	close(U); munmap((void *)BASE, 4 * PG);
}
static void body(void)
{
	catch_sigs();
	forkcase(UFFD_FEATURE_WP_UNPOPULATED);
	forkcase(0);
	if (!g_unpriv) {
		/* EVENT_FORK: fork blocks until event read, so do fork in a thread and read event here */
		printf("[%s] ===== fork with EVENT_FORK (root only) =====\n", WHO);
		setup(UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_WP_UNPOPULATED);
		fflush(stdout);
		int pfd[2]; pipe(pfd);
		pthread_t th; pthread_create(&th, NULL, evreader, NULL);
		usleep(50000);
		pid_t c = fork();
		if (!c) {
			char b; read(pfd[0], &b, 1); /* wait until parent done reading event */
			vmas("EVENT_FORK child", BASE, BASE + 4 * PG);
			show("EVENT_FORK child", BASE);
			fflush(stdout); _exit(0);
		}
		pthread_join(th, NULL);
		if (g_evgot) { hex("fork event raw", &g_ev, 32); printf("[%s]   new uffd=%u\n", WHO, *(uint32_t *)((char *)&g_ev + 8)); }
		write(pfd[1], "x", 1);
		waitpid(c, NULL, 0);
		close(U); munmap((void *)BASE, 4 * PG);
	}

	printf("[%s] ===== mprotect =====\n", WHO);
	for (int f = 0; f <= 1; f++) {
		setup(f ? UFFD_FEATURE_WP_UNPOPULATED : 0);
		mprotect((void *)BASE, 4 * PG, PROT_READ);
		vmas("after PROT_READ", BASE, BASE + 4 * PG);
		show("after PROT_READ", BASE);
		mprotect((void *)BASE, 4 * PG, PROT_READ | PROT_WRITE);
		vmas("after back to RW", BASE, BASE + 4 * PG);
		show("after back to RW", BASE);
		probe_access(U, "write p0", BASE, 1, 0xd0);
		probe_access(U, "write p1 (zero)", BASE + PG, 1, 0xd1);
		probe_access(U, "write p3 (unprotected)", BASE + 3 * PG, 1, 0xd3);
		/* mprotect a single page -> split; both parts keep uw */
		WP(U, "protect p3", BASE + 3 * PG, PG, WPM_WP);
		mprotect((void *)(BASE + 3 * PG), PG, PROT_NONE);
		show("p3 PROT_NONE", BASE);
		mprotect((void *)(BASE + 3 * PG), PG, PROT_READ | PROT_WRITE);
		vmas("after single page NONE->RW", BASE, BASE + 4 * PG);
		probe_access(U, "write p3", BASE + 3 * PG, 1, 0xd3);
		close(U); munmap((void *)BASE, 4 * PG);
	}

	printf("[%s] ===== mremap move (no EVENT_REMAP) =====\n", WHO);
	for (int f = 0; f <= 1; f++) {
		setup(f ? UFFD_FEATURE_WP_UNPOPULATED : 0);
		show("before move", BASE);
		void *r = mremap((void *)BASE, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)NEWA);
		printf("[%s]   mremap whole -> %p\n", WHO, r);
		vmas("new", NEWA, NEWA + 4 * PG);
		show("moved", NEWA);
		struct uffd_msg m;
		printf("[%s]   msgs: %s\n", WHO, read_msg(U, &m, 50) ? "YES" : "none");
		WP(U, "protect new range via uffd", NEWA, PG, WPM_WP);
		access_at("write moved p0", NEWA, 1, 0xe0);
		access_at("write moved p2 (was marker?)", NEWA + 2 * PG, 1, 0xe2);
		close(U); munmap((void *)NEWA, 4 * PG);
		/* partial move: page 1 only */
		setup(f ? UFFD_FEATURE_WP_UNPOPULATED : 0);
		r = mremap((void *)(BASE + 0 * PG), PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)NEWA);
		printf("[%s]   mremap page0 only -> %p\n", WHO, r);
		vmas("old range", BASE, BASE + 4 * PG);
		vmas("new", NEWA, NEWA + PG);
		pm("moved page0", NEWA);
		pm("old page2 (still there)", BASE + 2 * PG);
		close(U); munmap((void *)NEWA, PG); munmap((void *)BASE, 4 * PG);
	}
	printf("[%s] ===== mremap move with EVENT_REMAP =====\n", WHO);
	{
		setup(UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_WP_UNPOPULATED);
		pthread_t th; pthread_create(&th, NULL, evreader, NULL);
		usleep(50000);
		void *r = mremap((void *)BASE, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)NEWA);
		printf("[%s]   mremap -> %p\n", WHO, r);
		pthread_join(th, NULL);
		if (g_evgot) { hex("remap event", &g_ev, 32); }
		vmas("new", NEWA, NEWA + 4 * PG);
		show("moved", NEWA);
		close(U); munmap((void *)NEWA, 4 * PG);
	}
	printf("[%s] ===== mremap grow in place =====\n", WHO);
	{
		setup(UFFD_FEATURE_WP_UNPOPULATED);
		munmap((void *)(BASE + 4 * PG), 4 * PG);
		void *r = mremap((void *)BASE, 4 * PG, 6 * PG, 0);
		printf("[%s]   mremap grow -> %p\n", WHO, r);
		vmas("grown", BASE, BASE + 6 * PG);
		show("grown", BASE);
		close(U); munmap((void *)BASE, 6 * PG);
	}

	printf("[%s] ===== MADV_DONTNEED of protected anon =====\n", WHO);
	for (int f = 0; f <= 1; f++) {
		setup(f ? UFFD_FEATURE_WP_UNPOPULATED : 0);
		int rr = madvise((void *)BASE, 3 * PG, MADV_DONTNEED);
		printf("[%s]   DONTNEED 0..2 -> %d\n", WHO, rr);
		show("after DONTNEED", BASE);
		probe_access(U, "write p0", BASE, 1, 0xf0);
		pm("p0", BASE);
		probe_access(U, "read p1", BASE + PG, 0, 0);
		pm("p1", BASE + PG);
		/* MADV_FREE */
		WP(U, "protect p0", BASE, PG, WPM_WP);
		rr = madvise((void *)BASE, PG, MADV_FREE);
		printf("[%s]   MADV_FREE p0 -> %d\n", WHO, rr);
		pm("p0 after FREE", BASE);
		/* munmap+mmap loses everything trivially; MADV_PAGEOUT (no swap) */
		rr = madvise((void *)BASE, PG, MADV_PAGEOUT);
		printf("[%s]   MADV_PAGEOUT p0 -> %d\n", WHO, rr);
		pm("p0 after PAGEOUT", BASE);
		close(U); munmap((void *)BASE, 4 * PG);
	}
	printf("[%s] ===== MADV_DONTNEED of protected anon, MISSING|WP + WP_UNPOPULATED =====\n", WHO);
	{
		U = new_uffd(O_CLOEXEC | O_NONBLOCK);
		uffd_api(U, UFFD_FEATURE_WP_UNPOPULATED);
		map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		*(volatile char *)BASE = 1;
		uffd_reg(U, BASE, 4 * PG, 3, NULL);
		WP(U, "protect", BASE, 4 * PG, WPM_WP);
		madvise((void *)BASE, PG, MADV_DONTNEED);
		pm("p0 after DONTNEED", BASE);
		probe_access(U, "write p0", BASE, 1, 0xf0);
		close(U); munmap((void *)BASE, 4 * PG);
	}
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q06_interplay", body); return 0; }
