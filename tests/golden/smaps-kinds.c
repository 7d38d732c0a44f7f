// Captures /proc/self/smaps for the VMAs at 0x1000xxxxxxxx after the same calls as smaps-kinds.mms.
#define _GNU_SOURCE
#include <sys/mman.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#define B 0x100000000000UL
int main(){
  char *a = mmap((void*)B, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0);
  a[0]=1; (void)*(volatile char*)(a+4096);
  char *n = mmap((void*)(B+0x10000), 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED_NOREPLACE, -1, 0); n[0]=1;
  char *r = mmap((void*)(B+0x20000), 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0);
  char *s = mmap((void*)(B+0x30000), 4<<20, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0);
  madvise(s, 4<<20, MADV_HUGEPAGE); s[0]=1;
  int fd = memfd_create("heap", 0); ftruncate(fd, 3*4096);
  char *m = mmap((void*)(B+0x1000000), 12288, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, fd, 0); m[0]=1;
  char *m2 = mmap((void*)(B+0x1010000), 12288, PROT_READ, MAP_PRIVATE|MAP_FIXED_NOREPLACE, fd, 4096); (void)*(volatile char*)m2;
  char *sa = mmap((void*)(B+0x1020000), 8192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0); (void)*(volatile char*)sa;
  char *st = mmap((void*)(B+0x1030000), 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK|MAP_GROWSDOWN|MAP_FIXED_NOREPLACE, -1, 0);
  madvise(a+8192, 4096, MADV_DONTFORK);
  mprotect(a+12288, 4096, PROT_NONE);
  { FILE *f = fopen("/proc/self/smaps", "r"); char line[512]; int p = 0; while (fgets(line, sizeof line, f)) { if (strchr(line, '-') && line[0] != ' ' && strstr(line, " ") && (line[0] >= '0' && line[0] <= '9' || line[0] >= 'a' && line[0] <= 'f') && strchr(line, ':') - line > 20) p = strncmp(line, "1000", 4) == 0; if (p) fputs(line, stdout); } }
  sleep(1);
}
