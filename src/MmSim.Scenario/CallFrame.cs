using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>A scenario statement cannot run as written (a dead process, a byte value out of range), found while running.</summary>
public sealed class ScenarioRuntimeException(string message) : Exception(message);

/// <summary>
/// One call being made: the process it runs in and its evaluated arguments, read the way the syscall ABI
/// reads registers (an int argument is the low 32 bits). Out-parameters are written back here.
/// </summary>
public sealed class CallFrame
{
    private readonly ScenarioValue[] _args;
    private readonly ScenarioValue?[] _outputs;

    internal CallFrame(IScenarioTarget target, IScenarioProcess process, ScenarioValue[] args)
    {
        Target = target;
        Process = process;
        _args = args;
        _outputs = new ScenarioValue?[args.Length];
    }

    public IScenarioTarget Target { get; }

    public IScenarioProcess Process { get; }

    public ScenarioValue Arg(int i) => _args[i];

    public bool IsNull(int i) => _args[i] is NullValue;

    /// <summary>NULL reads as 0, as a pointer register would.</summary>
    public long I64(int i) => _args[i] switch
    {
        NumberValue n => n.Value,
        NullValue => 0,
        var other => throw new ScenarioRuntimeException($"argument {i + 1} is {Strace.Value(other)}, not a number"),
    };

    public ulong U64(int i) => unchecked((ulong)I64(i));

    public int I32(int i) => unchecked((int)I64(i));

    public uint U32(int i) => unchecked((uint)I64(i));

    public byte Byte(int i) => I64(i) is >= 0 and <= 255 and var b
        ? (byte)b
        : throw new ScenarioRuntimeException($"argument {i + 1} is {I64(i)}, not a byte value (0-255)");

    public byte[] Bytes(int i) => ((StringValue)_args[i]).Bytes;

    /// <summary>The string as a .NET string with one char per byte, so the model sees C's strlen().</summary>
    public string String(int i) => ((StringValue)_args[i]).AsLatin1();

    /// <summary>A string argument, or null for NULL.</summary>
    public string? StringOrNull(int i) => _args[i] is StringValue s ? s.AsLatin1() : null;

    /// <summary>A <c>struct rlimit</c> argument, or null for NULL.</summary>
    public RLimit? Rlimit(int i) => _args[i] is StructValue s
        ? new RLimit(unchecked((ulong)Number(s, "rlim_cur")), unchecked((ulong)Number(s, "rlim_max")))
        : null;

    /// <summary>A <c>cap_user_header_t</c> argument, or null for NULL.</summary>
    public CapUserHeader? CapHeader(int i) => CapHeaderKind.ToHeader(_args[i]);

    /// <summary>A <c>cap_user_data_t</c> argument, or null for NULL.</summary>
    public CapSets? CapData(int i) => CapDataKind.ToSets(_args[i]);

    /// <summary>
    /// Where a CPU access that blocked goes on from when its task has been woken; null on the first attempt. The
    /// bytes before it were accessed already (as the CPU retries only the faulting instruction).
    /// </summary>
    public ulong? ResumeAt { get; internal set; }

    /// <summary>load()'s bytes so far, kept across a block.</summary>
    public byte[]? LoadBuffer { get; internal set; }

    /// <summary>Records what the call wrote through out-parameter <paramref name="i"/>; the echo prints it.</summary>
    public void SetOutput(int i, ScenarioValue value) => _outputs[i] = value;

    public ScenarioValue? Output(int i) => _outputs[i];

    private static long Number(StructValue s, string field) => s[field] is NumberValue n ? n.Value : 0;
}
