namespace MmSim;

/// <summary>
/// A pointer argument a syscall reads or writes through (copy_from_user / copy_to_user). It is NULL, an address in
/// the calling process's memory, or a buffer the caller holds outside the simulated address space: a scenario's
/// struct literal, which on the kernel target lives in the runner's own memory, always accessible. Copies through
/// an address take the calling process's page faults; one that cannot complete is EFAULT, as in the kernel.
/// With a <see cref="Buffer"/>, <see cref="Address"/> is the offset in it.
/// </summary>
public readonly record struct UserPtr(ulong Address, byte[]? Buffer)
{
    public static UserPtr Null => default;

    public bool IsNull => Buffer is null && Address == 0;

    /// <summary>A buffer outside the simulated address space; the kernel may write into it.</summary>
    public static UserPtr Of(byte[] buffer) => new(0, buffer);

    /// <summary>An address in the process's memory.</summary>
    public static UserPtr At(ulong address) => new(address, null);

    /// <summary>This pointer advanced by <paramref name="bytes"/>.</summary>
    public UserPtr Plus(int bytes) => Buffer is { } b ? new(Address + (ulong)bytes, b) : new(Address + (ulong)bytes, null);
}
