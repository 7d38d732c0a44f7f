using System.Globalization;
using System.Text;
using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>Prints values the way strace does, in the scenario language's own notation where they differ.</summary>
public static class Strace
{
    /// <summary>strace's default -s: longer strings print their first bytes and <c>...</c>.</summary>
    public const int EchoStringLimit = 64;

    public static string Hex(long value) => "0x" + unchecked((ulong)value).ToString("x", CultureInfo.InvariantCulture);

    public static string Pointer(long value) => value == 0 ? "NULL" : Hex(value);

    public static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C string literal, escaped as the scenario language reads it back.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, int limit = int.MaxValue)
    {
        var sb = new StringBuilder("\"");
        foreach (var b in bytes[..Math.Min(limit, bytes.Length)])
        {
            sb.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                0 => "\\0",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        sb.Append('"');
        if (bytes.Length > limit)
            sb.Append("...");
        return sb.ToString();
    }

    /// <summary><c>-1 EINVAL (Invalid argument)</c>.</summary>
    public static string Failure(Errno errno) => $"-1 {errno} ({ErrnoInfo.Describe(errno)})";

    /// <summary>An rlimit value: strace's <c>RLIM64_INFINITY</c> and <c>8192*1024</c>.</summary>
    public static string Rlim(long value)
    {
        var v = unchecked((ulong)value);
        if (v == Rlimit.RLIM_INFINITY)
            return "RLIM64_INFINITY";
        return v > 1024 && v % 1024 == 0 ? $"{v / 1024}*1024" : v.ToString(CultureInfo.InvariantCulture);
    }

    public static string Result(Outcome outcome) => outcome switch
    {
        Outcome.Returned { IsError: true } r => Failure(ErrnoInfo.FromReturn(r.Raw)),
        Outcome.Returned r => r.Pointer ? Hex(r.Raw) : Decimal(r.Raw),
        Outcome.Signaled s => Siginfo(s.Access.Signal, s.Info),
        Outcome.Killed k => $"+++ killed by {Signal.Name(k.Signal)} +++",
        Outcome.Exited => "?",
        Outcome.Produced p => Value(p.Brief ?? p.Result),
        Outcome.Text t => "\n" + t.Content.TrimEnd('\n'),
        Outcome.Blocked => "<unfinished ...>",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary><c>SIGSEGV {si_code=SEGV_ACCERR, si_addr=0x1000}</c>; <paramref name="info"/> may list only some fields.</summary>
    public static string Siginfo(int signal, StructValue? info)
    {
        var name = Signal.Name(signal);
        if (info is null)
            return name;
        var fields = info.Fields
            .Where(f => f.Key != "si_signo")
            .Select(f => f.Key == "si_code" && f.Value is NumberValue code
                ? $"si_code={Signal.CodeName(signal, (int)code.Value)}"
                : Field(f.Key, f.Value));
        return $"{name} {{{string.Join(", ", fields)}}}";
    }

    public static string Value(ScenarioValue value) => value switch
    {
        NumberValue n => Decimal(n.Value),
        StringValue s => Quote(s.Bytes, EchoStringLimit),
        NullValue => "NULL",
        StructValue st => Struct(st),
        ArrayValue a => $"[{string.Join(", ", a.Items.Select(Value))}]",
        AnyValue => "...",
        BindValue b => "$" + b.Name,
        InOutValue io => $"{Value(io.In)} => {Value(io.Out)}",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static string Struct(StructValue value) =>
        $"{{{string.Join(", ", value.Fields.Select(f => Field(f.Key, f.Value)))}}}";

    // Addresses print in hex wherever they appear; so do file offsets, as in /proc/PID/maps.
    internal static string Field(string name, ScenarioValue value) => (name, value) switch
    {
        (_, InOutValue io) => $"{Field(name, io.In)} => {Field(name, io.Out)}",
        ("start" or "end" or "offset" or "si_addr" or "dst" or "src" or "address" or "from" or "to", NumberValue n) => $"{name}={Hex(n.Value)}",
        ("rlim_cur" or "rlim_max", NumberValue n) => $"{name}={Rlim(n.Value)}",
        _ => $"{name}={Value(value)}",
    };
}
