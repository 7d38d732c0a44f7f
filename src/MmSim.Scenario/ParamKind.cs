using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>A call's parameter: its name (for messages) and how its argument is checked and printed.</summary>
public sealed record Param(string Name, ParamKind Kind)
{
    internal void Check(Expr arg) => Kind.Check(arg, Name);
}

/// <summary>
/// The type of a parameter as strace decodes it: which argument forms the parser accepts, and how the echo
/// prints the evaluated value (addresses in hex, lengths in decimal, flags symbolically, strings quoted).
/// </summary>
public abstract class ParamKind
{
    internal abstract void Check(Expr arg, string param);

    internal abstract string Format(ScenarioValue value);

    /// <summary>How the echo prints argument <paramref name="i"/> of a call made: what the call wrote, else what was passed.</summary>
    internal virtual string FormatArg(CallFrame frame, int i) => Format(frame.Output(i) ?? frame.Arg(i));

    /// <summary>What the scenario expects the call to write through argument <paramref name="i"/>, or null.</summary>
    internal virtual ScenarioValue? ExpectedOutput(CallFrame frame, int i) => frame.Arg(i) as StructValue;

    /// <summary>Whether a field of this out-parameter may bind a new variable to what the kernel writes (<see cref="BindExpr"/>).</summary>
    internal virtual bool BindsOutputs => false;

    private protected static ScenarioSyntaxException Mismatch(Expr arg, string param, string expected)
    {
        var found = arg switch
        {
            StringExpr => "a string",
            NullExpr => "NULL",
            StructExpr => "a struct",
            ArrayExpr => "an array",
            _ => "a number",
        };
        return new ScenarioSyntaxException(arg.Pos, $"expected {expected} for {param}, found {found}");
    }

    private protected static void CheckNumeric(Expr arg, string param)
    {
        if (!arg.IsNumeric)
            throw Mismatch(arg, param, "a number");
    }

    /// <summary>
    /// A struct of numbers named <paramref name="type"/> with the given fields, or NULL. An input must list
    /// every field (<paramref name="all"/>); an out-parameter's expectation may list some.
    /// </summary>
    private protected static void CheckStruct(Expr arg, string param, string type, string[] fields, bool all)
    {
        if (arg is NullExpr)
            return;
        if (arg is not StructExpr s)
            throw Mismatch(arg, param, $"{{{string.Join(", ", fields.Select(f => f + "=..."))}}} or NULL");
        foreach (var field in s.Fields)
        {
            if (!fields.Contains(field.Name))
                throw new ScenarioSyntaxException(field.Pos, $"{type} has no field '{field.Name}'");
            CheckNumeric(field.Value, field.Name);
        }
        if (all && s.Fields.Count != fields.Length)
            throw new ScenarioSyntaxException(s.Pos, $"{param} needs {string.Join(", ", fields[..^1])} and {fields[^1]}");
    }

    private protected static long Field(StructValue s, string field) => s[field] is NumberValue n ? n.Value : 0;
}

internal enum NumberStyle
{
    /// <summary>A user pointer: hex, or NULL for 0 (NULL is accepted as the argument too).</summary>
    Pointer,
    /// <summary>Hex, e.g. mmap's file offset.</summary>
    Hex,
    /// <summary>A length or count.</summary>
    Unsigned,
    /// <summary>An int: fd, pid, exit code.</summary>
    Signed,
}

internal sealed class NumberKind(NumberStyle style) : ParamKind
{
    internal override void Check(Expr arg, string param)
    {
        if (style == NumberStyle.Pointer && arg is NullExpr)
            return;
        CheckNumeric(arg, param);
    }

    internal override string Format(ScenarioValue value)
    {
        var n = value is NumberValue v ? v.Value : 0;
        return style switch
        {
            NumberStyle.Pointer => Strace.Pointer(n),
            NumberStyle.Hex => n == 0 ? "0" : Strace.Hex(n),
            NumberStyle.Unsigned => unchecked((ulong)n).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => Strace.Decimal(n),
        };
    }
}

/// <summary>
/// A set of flags (<c>PROT_READ|PROT_WRITE</c>) or, when <c>single</c>, one named value (<c>MADV_DONTNEED</c>,
/// <c>RLIMIT_STACK</c>, <c>SIGKILL</c>). Bits no name covers print in hex, as strace does.
/// </summary>
internal sealed class FlagsKind : ParamKind
{
    // Masks and limits that share a flag family's prefix but are not flags.
    private static readonly HashSet<string> s_notFlags = ["MAP_TYPE", "MFD_NAME_MAX_LEN"];

    private readonly KeyValuePair<string, long>[] _names;
    // The non-zero names, widest value first: the order Format() tries them in.
    private readonly KeyValuePair<string, long>[] _widestFirst;
    private readonly bool _single;

    private FlagsKind(IEnumerable<KeyValuePair<string, long>> names, bool single)
    {
        _names = names.Where(n => !s_notFlags.Contains(n.Key)).ToArray();
        _widestFirst = [.. _names.Where(x => x.Value != 0).OrderByDescending(x => unchecked((ulong)x.Value))];
        _single = single;
    }

    public static FlagsKind Prefixed(string prefix, bool single = false) => new(Symbols.WithPrefix(prefix), single);

    public static FlagsKind Named(params string[] names) => new(Lookup(names), single: false);

    /// <summary>One of these values (an ioctl request), printed by name or in hex.</summary>
    public static FlagsKind NamedOne(params string[] names) => new(Lookup(names), single: true);

    private static IEnumerable<KeyValuePair<string, long>> Lookup(string[] names) =>
        names.Select(n => Symbols.TryGet(n, out var v) ? new KeyValuePair<string, long>(n, v)
            : throw new ArgumentException($"unknown symbol {n}", nameof(names)));

    internal override void Check(Expr arg, string param) => CheckNumeric(arg, param);

    internal override string Format(ScenarioValue value)
    {
        var n = value is NumberValue v ? v.Value : 0;
        foreach (var (name, bits) in _names)
        {
            if (bits == n)
                return name;
        }
        if (_single || n == 0)
            return Strace.Decimal(n);

        // Widest names first, so MAP_SHARED_VALIDATE wins over MAP_SHARED|MAP_PRIVATE; printed low to high.
        var rest = n;
        var parts = new List<KeyValuePair<string, long>>();
        foreach (var named in _widestFirst)
        {
            if ((rest & named.Value) == named.Value)
            {
                parts.Add(named);
                rest &= ~named.Value;
            }
        }
        var text = parts.OrderBy(p => unchecked((ulong)p.Value)).Select(p => p.Key).ToList();
        if (rest != 0)
            text.Add(Strace.Hex(rest));
        return string.Join('|', text);
    }
}

/// <summary>A C string argument (memfd_create's name, store's bytes).</summary>
internal sealed class StringKind(bool nullable = false) : ParamKind
{
    internal override void Check(Expr arg, string param)
    {
        if (arg is StringExpr || (nullable && arg is NullExpr))
            return;
        throw Mismatch(arg, param, nullable ? "a string or NULL" : "a string");
    }

    internal override string Format(ScenarioValue value) =>
        value is StringValue s ? Strace.Quote(s.Bytes, Strace.EchoStringLimit) : Strace.Value(value);
}

/// <summary>
/// A <c>struct rlimit</c> pointer: <c>{rlim_cur=8M, rlim_max=RLIM_INFINITY}</c> or NULL. As an
/// out-parameter the struct is what the kernel is expected to write back, and may list one field.
/// </summary>
internal sealed class RlimitKind(bool output) : ParamKind
{
    private static readonly string[] s_fields = ["rlim_cur", "rlim_max"];

    public bool IsOutput => output;

    internal override void Check(Expr arg, string param) => CheckStruct(arg, param, "struct rlimit", s_fields, all: !output);

    internal override string Format(ScenarioValue value) => Strace.Value(value);

    public static StructValue ToValue(RLimit limit) => new(
    [
        new("rlim_cur", new NumberValue(unchecked((long)limit.Cur))),
        new("rlim_max", new NumberValue(unchecked((long)limit.Max))),
    ]);
}

/// <summary>
/// A <c>cap_user_header_t</c>: <c>{version=_LINUX_CAPABILITY_VERSION_3, pid=0}</c> or NULL. Linux writes its
/// preferred version back into the header after an unknown one; a header written in the scenario stays as written.
/// </summary>
internal sealed class CapHeaderKind : ParamKind
{
    private static readonly string[] s_fields = ["version", "pid"];

    internal override void Check(Expr arg, string param) =>
        CheckStruct(arg, param, "struct __user_cap_header_struct", s_fields, all: true);

    internal override string Format(ScenarioValue value)
    {
        if (value is not StructValue s)
            return Strace.Value(value);
        var fields = s.Fields.Select(f => (f.Key, f.Value) switch
        {
            ("version", NumberValue n) => $"version={Version(n.Value)}",
            _ => $"{f.Key}={Strace.Value(f.Value)}",
        });
        return $"{{{string.Join(", ", fields)}}}";
    }

    public static CapUserHeader? ToHeader(ScenarioValue value) => value is StructValue s
        ? new CapUserHeader(unchecked((uint)Field(s, "version")), unchecked((int)Field(s, "pid")))
        : null;

    private static string Version(long version) => unchecked((uint)version) switch
    {
        Capability._LINUX_CAPABILITY_VERSION_1 => nameof(Capability._LINUX_CAPABILITY_VERSION_1),
        Capability._LINUX_CAPABILITY_VERSION_2 => nameof(Capability._LINUX_CAPABILITY_VERSION_2),
        Capability._LINUX_CAPABILITY_VERSION_3 => nameof(Capability._LINUX_CAPABILITY_VERSION_3),
        _ => Strace.Hex(version) + " /* _LINUX_CAPABILITY_VERSION_??? */",
    };
}

/// <summary>
/// A <c>cap_user_data_t</c>, the three sets as strace prints them:
/// <c>{effective=1&lt;&lt;CAP_IPC_LOCK, permitted=1&lt;&lt;CAP_IPC_LOCK|1&lt;&lt;CAP_SYS_RAWIO|1&lt;&lt;CAP_SYS_PTRACE, inheritable=0}</c>, or NULL.
/// As capget()'s out-parameter it is what the kernel is expected to write, and may list some of the sets.
/// </summary>
internal sealed class CapDataKind(bool output) : ParamKind
{
    private static readonly string[] s_fields = ["effective", "permitted", "inheritable"];

    internal override void Check(Expr arg, string param) =>
        CheckStruct(arg, param, "struct __user_cap_data_struct", s_fields, all: !output);

    internal override string Format(ScenarioValue value) => value is StructValue s
        ? $"{{{string.Join(", ", s.Fields.Select(f => $"{f.Key}={(f.Value is NumberValue n ? Set(n.Value) : Strace.Value(f.Value))}"))}}}"
        : Strace.Value(value);

    public static CapSets? ToSets(ScenarioValue value) => value is StructValue s
        ? new CapSets(
            unchecked((ulong)Field(s, "effective")),
            unchecked((ulong)Field(s, "permitted")),
            unchecked((ulong)Field(s, "inheritable")))
        : null;

    public static StructValue ToValue(CapSets sets) => new(
    [
        new("effective", new NumberValue(unchecked((long)sets.Effective))),
        new("permitted", new NumberValue(unchecked((long)sets.Permitted))),
        new("inheritable", new NumberValue(unchecked((long)sets.Inheritable))),
    ]);

    /// <summary>strace's print_cap_bits(): <c>1&lt;&lt;CAP_CHOWN|1&lt;&lt;CAP_KILL</c>, bits past CAP_LAST_CAP in hex, 0 for none.</summary>
    private static string Set(long value)
    {
        var bits = unchecked((ulong)value);
        if (bits == 0)
            return "0";
        var parts = new List<string>();
        for (var cap = 0; cap <= Capability.CAP_LAST_CAP; cap++)
        {
            if ((bits & Capability.Bit(cap)) != 0)
                parts.Add($"1<<{s_names[cap]}");
        }
        if ((bits & ~Capability.CAP_VALID_MASK) != 0)
            parts.Add(Strace.Hex(unchecked((long)(bits & ~Capability.CAP_VALID_MASK))));
        return string.Join('|', parts);
    }

    // CAP_CHOWN..CAP_CHECKPOINT_RESTORE by number.
    private static readonly string[] s_names = Enumerable.Range(0, Capability.CAP_LAST_CAP + 1)
        .Select(cap => Symbols.WithPrefix("CAP_").First(kv => kv.Value == cap && kv.Key != nameof(Capability.CAP_LAST_CAP)).Key)
        .ToArray();
}
