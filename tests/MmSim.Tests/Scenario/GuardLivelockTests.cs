using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

/// <summary>
/// MADV_GUARD_INSTALL over what a zap keeps (a uffd-wp marker in a shmem VMA registered for WP) restarts forever on
/// 6.18: checked with `mmsim run --kernel`, where the call never returns and the runner times out. No golden file
/// can show that on the kernel target, so the model's side is tested here: the call never returns, and a fatal
/// signal ends the process.
/// </summary>
public sealed class GuardLivelockTests
{
    private const string Setup = """
        memfd_create("m", 0) = $fd
        ftruncate($fd, 8K) = 0
        mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
        userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
        ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
        ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
        ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
        pagemap($a) = {swapped=1, uffd_wp=1}
        fork() = $k
        thread() = $t

        """;

    [Fact]
    public void Guard_install_over_a_uffd_wp_marker_never_returns_until_killed()
    {
        var echo = Pass(Setup + """
            madvise($a+4K, 4K, MADV_GUARD_INSTALL) = 0
            [pid $t] madvise($a, 4K, MADV_GUARD_INSTALL) <unfinished ...>
            """, new ModelTarget());
        Assert.Contains("madvise(0x100000000000, 4096, MADV_GUARD_INSTALL) <unfinished ...>", echo);

        var killed = Pass(Setup + """
            [pid $t] madvise($a, 4K, MADV_GUARD_INSTALL) <unfinished ...>
            [pid $k] kill($main, SIGKILL) = 0
            [pid $t] <... madvise resumed> = SIGKILL
            """, new ModelTarget());
        Assert.Contains("<... madvise resumed> = +++ killed by SIGKILL +++", killed);
    }

    [Fact]
    public void A_stale_marker_of_a_shmem_vma_no_longer_registered_for_wp_spins_too()
    {
        Pass(Setup + """
            ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
            close($u) = 0
            pagemap($a) = {swapped=1, uffd_wp=1}
            [pid $t] madvise($a, 4K, MADV_GUARD_INSTALL) <unfinished ...>
            """, new ModelTarget());
    }

    [Fact]
    public void Process_madvise_spins_the_same_way()
    {
        Pass(Setup + """
            pidfd_open($main, 0) = $p
            [pid $t] process_madvise($p, [{iov_base=$a+4K, iov_len=4K}, {iov_base=$a, iov_len=4K}], 2, MADV_GUARD_INSTALL, 0) <unfinished ...>
            """, new ModelTarget());
    }
}
