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
}
