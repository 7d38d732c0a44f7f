using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

/// <summary>Tiny scenarios on the real model: the interpreter and the model agree on the basics.</summary>
public sealed class ModelScenarioTests
{
    [Fact]
    public void Main_is_the_init_process()
    {
        using var target = new ModelTarget();
        Assert.Equal($"getpid() = {target.Kernel.Init.Pid}\n", Pass("getpid() = $main", target));
    }

    [Fact]
    public void Mmap_fixed_noreplace_returns_the_address() => Assert.StartsWith(
        "mmap(0x100000000000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000000000\n",
        Pass("mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000000000",
            new ModelTarget()));

    [Fact]
    public void Anonymous_memory_reads_back_what_was_stored() => Pass("""
        mmap(NULL, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a
        load($a, 2) = "\0\0"
        store($a+4K-1, "hi") = 0
        load($a+4K-1, 2) = "hi"
        smaps($a) = {start=$a, end=$a+8K, perms="rw-p", name="", Rss=8, Anonymous=8}
        vma_count($a, $a+8K) = 1
        """, new ModelTarget());

    [Fact]
    public void Protection_faults_raise_sigsegv() => Pass("""
        mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
        touch($a, 4K, READ) = 0
        touch($a, 4K, WRITE) = SIGSEGV {si_code=SEGV_ACCERR, si_addr=$a}
        touch($a+4K, 1, READ) = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$a+4K}
        munmap($a, 4K) = 0
        smaps($a) = NULL
        """, new ModelTarget());

    [Fact]
    public void Syscall_errors_come_back_as_errno() => Pass("""
        mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)
        munmap(0x1001, 4K) = -1 EINVAL (Invalid argument)
        close(-1) = -1 EBADF (Bad file descriptor)
        """, new ModelTarget());

    [Fact]
    public void A_forked_child_runs_its_own_statements() => Pass("""
        mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
        store($a, "parent") = 0
        fork() = $c
        [pid $c] getpid() = $c
        [pid $c] load($a, 6) = "parent"
        [pid $c] store($a, "child!") = 0
        load($a, 6) = "parent"
        [pid $c] exit_group(0) = ?
        """, new ModelTarget());

    [Fact]
    public void Rlimits_round_trip() => Pass("""
        setrlimit(RLIMIT_STACK, {rlim_cur=4M, rlim_max=RLIM_INFINITY}) = 0
        getrlimit(RLIMIT_STACK, {rlim_cur=4M, rlim_max=RLIM_INFINITY}) = 0
        """, new ModelTarget());
}
