using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>What a statement did, as the echo prints it and expectations are checked against.</summary>
public abstract record Outcome
{
    /// <summary>The value a plain expected value (<c>= 0x1000</c>, <c>= "hi"</c>, <c>= {...}</c>) is compared with, or null.</summary>
    public virtual ScenarioValue? Value => null;

    /// <summary>A syscall's raw return: a value, or <c>-errno</c>. A <c>Pointer</c> prints in hex, as strace prints mmap's and brk's results.</summary>
    public sealed record Returned(long Raw, bool Pointer = false) : Outcome
    {
        public bool IsError => ErrnoInfo.IsError(Raw);

        // strace shows every failure as -1; so does "= -1" in a scenario.
        public override ScenarioValue Value => new NumberValue(IsError ? -1 : Raw);
    }

    /// <summary>A memory access raised a signal (SIGSEGV, SIGBUS) with this siginfo.</summary>
    public sealed record Signaled(AccessResult Access) : Outcome
    {
        public StructValue Info => new(
        [
            new("si_signo", new NumberValue(Access.Signal)),
            new("si_code", new NumberValue(Access.SiCode)),
            new("si_addr", new NumberValue(unchecked((long)Access.SiAddr))),
        ]);
    }

    /// <summary>The process died of a signal during the statement (the OOM killer's SIGKILL, kill()).</summary>
    public sealed record Killed(int Signal) : Outcome;

    /// <summary>The process exited during the statement (exit_group).</summary>
    public sealed record Exited(int Code) : Outcome;

    /// <summary>A pseudo-call's value: load()'s bytes, smaps()'s struct or NULL. <c>Brief</c>, when set, is what the
    /// echo shows instead of <c>Result</c>, which would be too long to read.</summary>
    public sealed record Produced(ScenarioValue Result, ScenarioValue? Brief = null) : Outcome
    {
        public override ScenarioValue Value => Result;
    }

    /// <summary>A /proc file's text (maps(), meminfo()), echoed on the lines after the statement.</summary>
    public sealed record Text(string Content) : Outcome
    {
        public override ScenarioValue Value => StringValue.FromText(Content);
    }

    /// <summary>
    /// The task blocked in the call (a fault delivered to a userfaultfd, a read() with nothing to read): the call has
    /// not returned. For a CPU access, <paramref name="At"/> is where it stopped and goes on from once woken.
    /// </summary>
    public sealed record Blocked(ulong At) : Outcome;

    /// <summary>A CPU access's result: 0, its signal, blocked, or the process killed meanwhile.</summary>
    public static Outcome FromAccess(AccessResult access) => access.Signal switch
    {
        0 => new Returned(0),
        AccessResult.BlockedSignal => new Blocked(access.SiAddr),
        Abi.Signal.SIGKILL => new Killed(Abi.Signal.SIGKILL),
        _ => new Signaled(access),
    };

    /// <summary>A syscall's return: <see cref="TaskStruct.Blocked"/> when the task sleeps in it.</summary>
    public static Outcome FromSyscall(long ret, bool pointer = false) =>
        ret == TaskStruct.Blocked ? new Blocked(0) : new Returned(ret, pointer);
}
