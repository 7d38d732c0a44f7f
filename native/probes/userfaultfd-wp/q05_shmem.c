/* D: shmem (memfd MAP_SHARED) WP: markers, faults, DONTNEED, CONTINUE MODE_WP */
#include "common2.h"
static int mfd;
static void mk(int npages)
{
	mfd = memfd_create("wp", 0);
	ftruncate(mfd, npages * PG);
	map_at(BASE, npages * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
}
static void run(__u64 F, __u64 regmode)
{
	printf("[%s] ===== shmem features=%#llx regmode=%llu =====\n", WHO, (unsigned long long)F, (unsigned long long)regmode);
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	if (uffd_api(U, F)) return;
	mk(8);
	*(volatile char *)BASE = 0x10;                     /* page0: in cache, mapped */
	pwrite(mfd, "\x11", 1, 1 * PG);                    /* page1: in cache, not mapped */
	                                                   /* page2: hole */
	*(volatile char *)(BASE + 3 * PG) = 0x13;          /* page3: mapped, for DONTNEED */
	(void)*(volatile char *)(BASE + 5 * PG);           /* page5: read fault on hole -> ? */
	pm("page5 (read of hole before reg)", BASE + 5 * PG);
	pm("page1 (fault-around?)", BASE + 1 * PG);
	madvise((void *)(BASE + PG), PG, MADV_DONTNEED);
	pm("page1 after DONTNEED", BASE + 1 * PG);
	int r = uffd_reg(U, BASE, 8 * PG, regmode, NULL);
	printf("[%s]   register -> %d\n", WHO, r);
	WP(U, "protect 0..7", BASE, 8 * PG, WPM_WP);
	for (int i = 0; i < 8; i++) { char b[40]; snprintf(b, sizeof b, "page%d after protect", i); pm(b, BASE + i * PG); }
	vmas("after protect", BASE, BASE + 8 * PG);
	probe_access(U, "p0 read", BASE, 0, 0);
	probe_access(U, "p0 write", BASE + 0x10, 1, 0xa0);
	pm("page0 after", BASE);
	probe_access(U, "p1 read (cache, unmapped)", BASE + PG, 0, 0);
	pm("page1 after read", BASE + PG);
	probe_access(U, "p1 write", BASE + PG + 0x10, 1, 0xa1);
	pm("page1 after write", BASE + PG);
	probe_access(U, "p2 write (hole)", BASE + 2 * PG + 0x10, 1, 0xa2);
	pm("page2 after write", BASE + 2 * PG);
	/* DONTNEED of protected page3 */
	r = madvise((void *)(BASE + 3 * PG), PG, MADV_DONTNEED);
	printf("[%s]   MADV_DONTNEED page3 (protected, mapped) -> %d\n", WHO, r);
	pm("page3 after DONTNEED", BASE + 3 * PG);
	probe_access(U, "p3 read after DONTNEED", BASE + 3 * PG, 0, 0);
	pm("page3 after read", BASE + 3 * PG);
	probe_access(U, "p3 write after DONTNEED", BASE + 3 * PG + 1, 1, 0xa3);
	pm("page3 after write", BASE + 3 * PG);
	/* unprotected page DONTNEED: no marker */
	probe_access(U, "p4 write (hole, marker)", BASE + 4 * PG, 1, 0xa4);
	pm("page4 after write", BASE + 4 * PG);
	r = madvise((void *)(BASE + 4 * PG), PG, MADV_DONTNEED);
	printf("[%s]   MADV_DONTNEED page4 (unprotected, mapped) -> %d\n", WHO, r);
	pm("page4 after DONTNEED", BASE + 4 * PG);
	/* MADV_REMOVE of a protected page (punch hole) */
	WP(U, "protect page6 (marker)", BASE + 6 * PG, PG, WPM_WP);
	r = madvise((void *)(BASE + 6 * PG), PG, MADV_REMOVE);
	printf("[%s]   MADV_REMOVE page6 -> %d\n", WHO, r);
	pm("page6 after MADV_REMOVE", BASE + 6 * PG);
	WP(U, "protect page0 (present)", BASE, PG, WPM_WP);
	r = fallocate(mfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PG);
	printf("[%s]   fallocate PUNCH_HOLE page0 -> %d\n", WHO, r);
	pm("page0 after punch", BASE);
	probe_access(U, "p0 read after punch", BASE, 0, 0);
	/* unprotect of marker */
	WP(U, "unprotect page7 (marker)", BASE + 7 * PG, PG, 0);
	pm("page7 after unprotect", BASE + 7 * PG);
	/* second mapping of the same memfd (not registered) writes freely */
	void *alias = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	WP(U, "protect page5", BASE + 5 * PG, PG, WPM_WP);
	((volatile char *)alias)[5 * PG] = 0x55;
	printf("[%s]   write via unregistered alias to page5: ok; read via BASE=%#x\n", WHO, *(volatile unsigned char *)(BASE + 5 * PG));
	pm("page5", BASE + 5 * PG);
	munmap(alias, 8 * PG);
	/* close: markers removed? */
	WP(U, "protect all", BASE, 8 * PG, WPM_WP);
	pm("page2 before close", BASE + 2 * PG);
	close(U);
	pm("page2 after close", BASE + 2 * PG);
	pm("page6 after close", BASE + 6 * PG);
	vmas("after close", BASE, BASE + 8 * PG);
	munmap((void *)BASE, 8 * PG);
	close(mfd);
}
static void cont(void)
{
	printf("[%s] ===== CONTINUE MODE_WP =====\n", WHO);
	for (int rm = 0; rm < 3; rm++) {
		__u64 regmode = rm == 0 ? 6 : rm == 1 ? 4 : 7;
		int U = new_uffd(O_CLOEXEC | O_NONBLOCK);
		uffd_api(U, UFFD_FEATURE_MINOR_SHMEM | UFFD_FEATURE_WP_HUGETLBFS_SHMEM);
		mk(4);
		for (int i = 0; i < 4; i++) pwrite(mfd, "C", 1, i * PG);
		printf("[%s]   register mode %llu -> %d\n", WHO, (unsigned long long)regmode, uffd_reg(U, BASE, 4 * PG, regmode, NULL));
		CONT(U, BASE, PG, UFFDIO_CONTINUE_MODE_WP, "MODE_WP page0");
		pm("page0", BASE);
		if (regmode & 2) {
			probe_access(U, "p0 read", BASE, 0, 0);
			probe_access(U, "p0 write", BASE, 1, 0x41);
		}
		CONT(U, BASE + PG, PG, 0, "mode 0 page1");
		pm("page1", BASE + PG);
		CONT(U, BASE + 2 * PG, PG, 4, "mode 4 page2");
		CONT(U, BASE + 2 * PG, PG, 3, "mode DONTWAKE|WP page2");
		pm("page2", BASE + 2 * PG);
		if (regmode & 2) {
			WP(U, "protect page3 (in cache, unmapped)", BASE + 3 * PG, PG, WPM_WP);
			pm("page3 marker", BASE + 3 * PG);
			CONT(U, BASE + 3 * PG, PG, 0, "mode 0 over marker page3");
			pm("page3", BASE + 3 * PG);
			probe_access(U, "p3 write", BASE + 3 * PG, 1, 0x43);
		} else {
			probe_access(U, "p3 read (minor)", BASE + 3 * PG, 0, 0);
		}
		close(U);
		munmap((void *)BASE, 4 * PG);
		close(mfd);
	}
}
static void body(void)
{
	run(0, 2);
	run(UFFD_FEATURE_WP_HUGETLBFS_SHMEM, 2);
	run(UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_MISSING_SHMEM, 3);
	run(UFFD_FEATURE_WP_ASYNC, 2);
	cont();
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both2("q05_shmem", body); return 0; }
