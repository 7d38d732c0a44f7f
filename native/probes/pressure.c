// Reclaim-under-pressure cases (A–F) for native/probes/pressure.sh; see docs/kernel-notes-swap.md.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#define PG 4096UL
#define MB (1UL<<20)
static long vmstat(const char *name){FILE*f=fopen("/proc/vmstat","r");char k[128];long v;long r=-1;while(fscanf(f,"%127s %ld",k,&v)==2)if(!strcmp(k,name))r=v;fclose(f);return r;}
static void status(const char*tag){FILE*f=fopen("/proc/self/status","r");char l[256];printf("%s:",tag);while(fgets(l,sizeof l,f))if(!strncmp(l,"VmRSS",5)||!strncmp(l,"VmSwap",6)){l[strlen(l)-1]=0;printf(" %s",l);}fclose(f);printf("\n");}
static double resident(char*p,size_t len){unsigned char v[len/PG];mincore(p,len,v);size_t n=0;for(size_t i=0;i<len/PG;i++)n+=v[i]&1;return (double)n/(len/PG);}
static const char* names[]={"pswpout","pswpin","pgsteal_direct","pgsteal_kswapd","pgscan_direct","pglazyfreed","pgactivate","pgdeactivate","pgrefill",0};
static long before[16];
static void snap(){for(int i=0;names[i];i++)before[i]=vmstat(names[i]);}
static void delta(){for(int i=0;names[i];i++)printf(" %s+%ld",names[i],vmstat(names[i])-before[i]);printf("\n");}
int main(int argc,char**argv){
  char t=argv[1][0];
  if(t=='A'){ // 24M in 16M cgroup with swap
    size_t len=24*MB; char*p=mmap(0,len,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); snap();
    for(size_t i=0;i<len/PG;i++) memset(p+i*PG,(int)(i%251)+1,PG);
    status("A after write"); delta();
    size_t bad=0; for(size_t i=0;i<len/PG;i++) if(p[i*PG]!=(char)((i%251)+1)||p[i*PG+PG-1]!=(char)((i%251)+1)) bad++;
    printf("A bad=%zu first8M=%.2f last8M=%.2f\n",bad,resident(p,8*MB),resident(p+16*MB,8*MB)); status("A after read"); delta();
  } else if(t=='B'){ // 24M no swap -> OOM
    size_t len=24*MB; char*p=mmap(0,len,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
    for(size_t i=0;i<len/PG;i++) memset(p+i*PG,1,PG); printf("B survived\n");
  } else if(t=='C'){ // lazyfree reclaimed without swap
    char*a=mmap(0,8*MB,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); memset(a,7,8*MB); snap();
    madvise(a,8*MB,MADV_FREE);
    char*b=mmap(0,12*MB,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); memset(b,9,12*MB);
    size_t zero=0; for(size_t i=0;i<8*MB/PG;i++) if(a[i*PG]==0) zero++;
    printf("C survived zeropages=%zu of %lu\n",zero,8*MB/PG); status("C"); delta();
  } else if(t=='D'){ // hot set protected
    size_t hot=2*MB, len=32*MB; char*h=mmap(0,hot,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); memset(h,3,hot);
    char*p=mmap(0,len,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); snap();
    for(size_t i=0;i<len/PG;i++){ memset(p+i*PG,5,PG); if(i%64==0) for(size_t j=0;j<hot;j+=PG) h[j]++; }
    printf("D hot=%.2f stream_first8M=%.2f stream_last8M=%.2f\n",resident(h,hot),resident(p,8*MB),resident(p+24*MB,8*MB)); status("D"); delta();
  } else if(t=='E'){ // mlocked stays
    char*l=mmap(0,4*MB,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); if(mlock(l,4*MB))perror("mlock"); memset(l,1,4*MB);
    char*p=mmap(0,20*MB,3,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); memset(p,2,20*MB);
    printf("E locked=%.2f other=%.2f\n",resident(l,4*MB),resident(p,20*MB)); status("E");
  } else if(t=='F'){ // memfd under pressure
    int fd=memfd_create("m",0); ftruncate(fd,24*MB); char*p=mmap(0,24*MB,3,MAP_SHARED,fd,0); snap();
    for(size_t i=0;i<24*MB/PG;i++) memset(p+i*PG,(int)(i%251)+1,PG);
    size_t bad=0; for(size_t i=0;i<24*MB/PG;i++) if(p[i*PG]!=(char)((i%251)+1)) bad++;
    printf("F bad=%zu\n",bad); status("F"); delta();
  }
  return 0;
}
