/* Extra order / shmem checks */
#include "common2.h"
static int U;
static void body(void)
{
	catch_sigs();
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 3, NULL);
	char *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(two + PG, PG);
	{
		struct uffdio_wp_ *st = (void *)(two + PG - 16);
		st->range.start = BASE + 1; st->range.len = PG;
		errno = 0; int r = ioctl(U, UFFDIO_WP_, st);
		printf("[%s] WP unaligned start + mode unreadable -> %d %s\n", WHO, r, r ? en(errno) : "-");
		st->range.start = BASE + 40 * PG;
		errno = 0; r = ioctl(U, UFFDIO_WP_, st);
		printf("[%s] WP hole + mode unreadable -> %d %s\n", WHO, r, r ? en(errno) : "-");
	}
	{
		struct uffdio_poison_ *st = (void *)(two + PG - 24);
		st->range.start = BASE + 1; st->range.len = PG; st->mode = 0;
		errno = 0; int r = ioctl(U, UFFDIO_POISON_, st);
		printf("[%s] POISON unaligned + updated unmapped -> %d %s\n", WHO, r, r ? en(errno) : "-");
		st->range.start = BASE + 40 * PG;
		errno = 0; r = ioctl(U, UFFDIO_POISON_, st);
		printf("[%s] POISON hole + updated unmapped -> %d %s\n", WHO, r, r ? en(errno) : "-");
		st->range.start = BASE; st->mode = 2;
		errno = 0; r = ioctl(U, UFFDIO_POISON_, st);
		printf("[%s] POISON mode 2 + updated unmapped -> %d %s\n", WHO, r, r ? en(errno) : "-");
		struct uffdio_poison_ *st2 = (void *)(two + PG - 16);
		st2->range.start = BASE + 1; st2->range.len = PG;
		errno = 0; r = ioctl(U, UFFDIO_POISON_, st2);
		printf("[%s] POISON unaligned + mode unreadable -> %d %s\n", WHO, r, r ? en(errno) : "-");
	}
	close(U); munmap((void *)BASE, 4 * PG);

	printf("[%s] -- shmem: size 2 pages, mapping 4 pages, WP-only\n", WHO);
	int mfd = memfd_create("x", 0); ftruncate(mfd, 2 * PG);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, UFFD_FEATURE_POISON);
	uffd_reg(U, BASE, 4 * PG, 2, NULL);
	WP(U, "protect 0..3 (2,3 beyond EOF)", BASE, 4 * PG, WPM_WP);
	for (int i = 0; i < 4; i++) { char b[32]; snprintf(b, sizeof b, "page%d", i); pm(b, BASE + i * PG); }
	access_at("beyond EOF page2", BASE + 2 * PG, 0, 0);
	COPY(U, BASE, PG, UFFDIO_COPY_MODE_WP, 0x44, "MODE_WP over shmem marker page0 (WP-only)");
	pm("page0", BASE);
	{ char b = 0; pread(mfd, &b, 1, 0); printf("[%s]   pread page0 = %#x\n", WHO, (unsigned char)b); }
	COPY(U, BASE + PG, PG, UFFDIO_COPY_MODE_WP, 0x45, "MODE_WP page1 (hole+marker)");
	ZERO(U, BASE + PG, PG, 0, "over shmem marker page1 (hole)");
	close(U); munmap((void *)BASE, 4 * PG); close(mfd);

	printf("[%s] -- shmem MINOR-only: POISON\n", WHO);
	mfd = memfd_create("y", 0); ftruncate(mfd, 4 * PG); pwrite(mfd, "Z", 1, PG);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, UFFD_FEATURE_MINOR_SHMEM);
	uffd_reg(U, BASE, 4 * PG, 4, NULL);
	POISON(U, BASE, PG, 0, "MINOR-only hole");
	POISON(U, BASE + PG, PG, 0, "MINOR-only cached page");
	access_at("page1", BASE + PG, 0, 0);
	CONT(U, BASE + PG, PG, 0, "CONTINUE over poisoned cached page1");
	pm("page1", BASE + PG);
	close(U); munmap((void *)BASE, 4 * PG); close(mfd);

	printf("[%s] -- THP (MADV_HUGEPAGE) protect\n", WHO);
	{
		unsigned long H = BASE + 0x40000000UL;
		map_at(H, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		madvise((void *)H, 2 << 20, MADV_HUGEPAGE);
		*(volatile char *)H = 1;
		U = new_uffd(O_CLOEXEC | O_NONBLOCK); uffd_api(U, 0);
		uffd_reg(U, H, 2 << 20, 2, NULL);
		FILE *f = fopen("/proc/self/smaps", "r"); char l[256]; int in = 0; unsigned long s, e;
		while (fgets(l, sizeof l, f)) { if (sscanf(l, "%lx-%lx", &s, &e) == 2 && strchr(l, '-') < strchr(l, ' ')) in = s == H; if (in && (!strncmp(l, "AnonHugePages", 13) || !strncmp(l, "Rss", 3))) printf("[%s]   before: %s", WHO, l); }
		fclose(f);
		WP(U, "protect first 4k of THP", H, PG, WPM_WP);
		pm("thp page0", H);
		pm("thp page1", H + PG);
		f = fopen("/proc/self/smaps", "r"); in = 0;
		while (fgets(l, sizeof l, f)) { if (sscanf(l, "%lx-%lx", &s, &e) == 2 && strchr(l, '-') < strchr(l, ' ')) in = s == H; if (in && (!strncmp(l, "AnonHugePages", 13) || !strncmp(l, "Rss", 3))) printf("[%s]   after: %s", WHO, l); }
		fclose(f);
		probe_access(U, "write thp page1", H + PG, 1, 2);
		probe_access(U, "write thp page0", H, 1, 2);
		close(U); munmap((void *)H, 2 << 20);
	}
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q09_extra", body); return 0; }
