namespace MmSim;

/// <summary>How a CPU access touches memory: <c>touch(addr, len, READ|WRITE)</c> in scenarios.</summary>
[Flags]
public enum Access
{
    Read = 1,
    Write = 2,
}

/// <summary>
/// The outcome of a CPU access by a simulated process: success, a signal with its siginfo
/// (<c>SIGSEGV {si_code=SEGV_ACCERR, si_addr=0x...}</c>), or the process being killed meanwhile (the OOM killer).
/// </summary>
public readonly record struct AccessResult(int Signal, int SiCode, ulong SiAddr)
{
    public static readonly AccessResult Ok = default;

    public bool Faulted => Signal != 0;

    public static AccessResult Segv(int code, ulong addr) => new(Abi.Signal.SIGSEGV, code, addr);

    public static AccessResult Bus(int code, ulong addr) => new(Abi.Signal.SIGBUS, code, addr);

    /// <summary>The process was killed (SIGKILL) while the access was in progress, e.g. chosen by the OOM killer.</summary>
    public static AccessResult Killed => new(Abi.Signal.SIGKILL, 0, 0);

    /// <summary>
    /// The task blocked at <paramref name="addr"/>: its fault went to a userfaultfd and it sleeps until woken. The
    /// bytes before addr were accessed; the access goes on from addr when the task has been woken
    /// (<see cref="TaskStruct.IsWoken"/>). <see cref="Faulted"/> is true: the access stopped.
    /// </summary>
    public static AccessResult Blocked(ulong addr) => new(BlockedSignal, 0, addr);

    /// <summary>Not a signal: the marker of <see cref="Blocked"/>.</summary>
    public const int BlockedSignal = -1;

    public bool IsBlocked => Signal == BlockedSignal;
}
