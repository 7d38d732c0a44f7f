/* What /proc/self shows to a thread after its group leader called exit(2) (docs/kernel-notes.md, Threads).
 * Build and run: gcc -o leader leader-exit.c -lpthread && ./leader */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
static void dump(const char *f) {
    char buf[65536]; int fd = open(f, O_RDONLY); if (fd < 0) { printf("%s: open %s\n", f, strerror(errno)); return; }
    ssize_t n = read(fd, buf, sizeof buf - 1); if (n < 0) { printf("%s: read %s\n", f, strerror(errno)); close(fd); return; }
    buf[n] = 0; printf("--- %s (%zd bytes)\n%s", f, n, buf); close(fd);
}
static void *thr(void *a) {
    (void)a; sleep(1);
    dump("/proc/self/status"); dump("/proc/self/smaps_rollup"); dump("/proc/self/maps");
    char p[64]; snprintf(p, sizeof p, "/proc/self/task/%ld/maps", syscall(SYS_gettid)); dump(p);
    exit(0);
}
int main(void) { pthread_t t; pthread_create(&t, 0, thr, 0); syscall(SYS_exit, 0); }
