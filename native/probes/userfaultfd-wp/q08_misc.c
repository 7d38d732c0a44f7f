/* Misc: ownership routing, wake semantics of WRITEPROTECT, EAGAIN from mmap_changing */
#include "common2.h"
#define NEWA (BASE + 0x200000UL)
static int U, U2;
static struct uffd_msg g_ev; static int g_evgot;
static void *evreader_delayed(void *a) { usleep(400000); g_evgot = read_msg(U, &g_ev, 2000); return NULL; }
static void *remapper(void *a) { void *r = mremap((void *)BASE, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)NEWA); *(void **)a = r; return NULL; }
static void body(void)
{
	catch_sigs();
	printf("[%s] -- WP via U on a VMA registered by U2: who gets the fault?\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
	U2 = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U2, 0);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 4; i++) *(volatile char *)(BASE + i * PG) = 1;
	uffd_reg(U2, BASE, 4 * PG, 3, NULL);
	WP(U, "protect via U (VMA owned by U2)", BASE, PG, WPM_WP);
	{
		struct toucher t; struct uffd_msg m;
		spawn(&t, BASE, 1, 2);
		usleep(200000);
		printf("[%s]   msg on U: %s\n", WHO, read_msg(U, &m, 50) ? "YES" : "none");
		if (read_msg(U2, &m, 50)) dump_msg("on U2", &m); else printf("[%s]   msg on U2: none\n", WHO);
		WP(U, "unprotect via U (wake on U's ctx)", BASE, PG, 0);
		usleep(100000);
		printf("[%s]   toucher done=%d (woken by U?)\n", WHO, t.done);
		if (!t.done) { WP(U2, "unprotect via U2", BASE, PG, 0); usleep(100000); printf("[%s]   toucher done=%d\n", WHO, t.done); }
		pthread_join(t.th, NULL);
	}
	POISON(U, BASE + 3 * PG, PG, 0, "via U on U2's VMA (page present)");
	madvise((void *)(BASE + 3 * PG), PG, MADV_DONTNEED);
	POISON(U, BASE + 3 * PG, PG, 0, "via U on U2's VMA (after DONTNEED)");
	close(U); close(U2); munmap((void *)BASE, 4 * PG);

	printf("[%s] -- WRITEPROTECT(mode=0) wakes a MISSING-blocked thread?\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 3, NULL);
	{
		struct toucher t; struct uffd_msg m;
		spawn(&t, BASE + PG, 0, 0);
		if (read_msg(U, &m, 300)) dump_msg("missing", &m);
		fdinfo_of(U, "blocked");
		WP(U, "mode=0 on the missing page", BASE + PG, PG, 0);
		usleep(100000);
		fdinfo_of(U, "after");
		if (read_msg(U, &m, 100)) dump_msg("re-fault", &m); else printf("[%s]   no new msg\n", WHO);
		printf("[%s]   toucher done=%d\n", WHO, t.done);
		WP(U, "mode=WP on the missing page", BASE + PG, PG, WPM_WP);
		usleep(100000);
		fdinfo_of(U, "after mode=WP");
		ZERO(U, BASE + PG, PG, 0, "resolve");
		pthread_join(t.th, NULL);
	}
	close(U); munmap((void *)BASE, 4 * PG);

	printf("[%s] -- WRITEPROTECT(mode=0) returning ENOENT after partial apply: wake?\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
	map_at(BASE, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(BASE + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 4; i++) *(volatile char *)(BASE + i * PG) = 1;
	uffd_reg(U, BASE, 2 * PG, 2, NULL);
	WP(U, "protect 0..1", BASE, 2 * PG, WPM_WP);
	{
		struct toucher t; struct uffd_msg m;
		spawn(&t, BASE + PG, 1, 3);
		if (read_msg(U, &m, 300)) dump_msg("wp", &m);
		WP(U, "mode=0 pages 1..2 (2 unregistered)", BASE + PG, 2 * PG, 0);
		pm("page1", BASE + PG);
		usleep(200000);
		printf("[%s]   toucher done=%d\n", WHO, t.done);
		fdinfo_of(U, "after");
		ioctl(U, UFFDIO_WAKE, &(struct uffdio_range){BASE, 4 * PG});
		pthread_join(t.th, NULL);
		printf("[%s]   after WAKE done=%d\n", WHO, t.done);
	}
	close(U); munmap((void *)BASE, 4 * PG);

	printf("[%s] -- EAGAIN while a REMAP event is unread (mmap_changing)\n", WHO);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, UFFD_FEATURE_EVENT_REMAP);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(BASE + 0x100000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	*(volatile char *)BASE = 1;
	uffd_reg(U, BASE, 4 * PG, 3, NULL);
	uffd_reg(U, BASE + 0x100000, 4 * PG, 3, NULL);
	{
		void *res = NULL;
		pthread_t th; pthread_create(&th, NULL, remapper, &res);
		usleep(200000);
		printf("[%s]   remapper blocked; res=%p\n", WHO, res);
		WP(U, "during mmap_changing (other vma)", BASE + 0x100000, PG, WPM_WP);
		WP(U, "during mmap_changing, mode 4", BASE + 0x100000, PG, 4);
		WP(U, "during mmap_changing, unaligned", BASE + 0x100000 + 1, PG, WPM_WP);
		{ errno = 0; int r = ioctl(U, UFFDIO_WP_, NULL); printf("[%s] WP NULL during mmap_changing -> %d %s\n", WHO, r, r ? en(errno) : "-"); }
		POISON(U, BASE + 0x100000, PG, 0, "during mmap_changing");
		POISON(U, BASE + 0x100000 + 1, PG, 0, "during mmap_changing, unaligned");
		{ errno = 0; int r = ioctl(U, UFFDIO_POISON_, NULL); printf("[%s] POISON NULL during mmap_changing -> %d %s\n", WHO, r, r ? en(errno) : "-"); }
		COPY(U, BASE + 0x100000, PG, 0, 1, "during mmap_changing");
		ZERO(U, BASE + 0x100000, PG, 0, "during mmap_changing");
		g_evgot = read_msg(U, &g_ev, 500);
		if (g_evgot) hex("remap event", &g_ev, 32);
		pthread_join(th, NULL);
		printf("[%s]   remapper done res=%p\n", WHO, res);
		WP(U, "after event read", BASE + 0x100000, PG, WPM_WP);
	}
	close(U); munmap((void *)NEWA, 4 * PG); munmap((void *)(BASE + 0x100000), 4 * PG);
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q08_misc", body); return 0; }
