using System.Buffers.Binary;
using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>How the kernel uses a field of an ioctl's struct.</summary>
internal enum FieldUse
{
    /// <summary>Read by the kernel: the scenario must give it.</summary>
    In,
    /// <summary>Written by the kernel: listed in the scenario, it is what the kernel is expected to write.</summary>
    Out,
    /// <summary>Read and written back: <c>NAME=IN =&gt; NAME=OUT</c>.</summary>
    InOut,
}

/// <summary>A field of a struct a syscall passes by pointer: its place, size and use; <see cref="Sub"/> for a nested struct.</summary>
internal sealed record StructField(string Name, int Offset, FieldUse Use, Func<long, string>? Print = null, StructField[]? Sub = null)
{
    public int Size => Sub is null ? 8 : Sub.Max(f => f.Offset + 8);
}

/// <summary>
/// The C layout of a struct the scenario writes in strace's notation. It turns a scenario struct into the bytes the
/// kernel reads, the bytes the kernel wrote back into a struct, and picks out what the scenario expects of them.
/// </summary>
internal sealed class StructLayout(string name, int size, StructField[] fields)
{
    public string Name { get; } = name;
    public int Size { get; } = size;
    public StructField[] Fields { get; } = fields;

    /// <summary>The bytes of <paramref name="value"/>'s input fields; missing or mistyped ones are a runtime error.</summary>
    public byte[] Encode(StructValue value)
    {
        var bytes = new byte[Size];
        Encode(value, Fields, bytes, 0, Name);
        return bytes;
    }

    private static void Encode(StructValue value, StructField[] fields, byte[] into, int at, string where)
    {
        foreach (var (key, _) in value.Fields)
        {
            if (Array.Find(fields, f => f.Name == key) is null)
                throw new ScenarioRuntimeException($"{where} has no field '{key}' (it has {string.Join(", ", fields.Select(f => f.Name))})");
        }
        foreach (var field in fields)
        {
            var given = value[field.Name];
            if (given is InOutValue io)
                given = io.In;
            if (field.Use == FieldUse.Out)
                continue;
            if (given is null)
                throw new ScenarioRuntimeException($"{where} needs {field.Name}");
            if (field.Sub is { } sub)
            {
                if (given is not StructValue nested)
                    throw new ScenarioRuntimeException($"{where}.{field.Name} must be a struct {{{string.Join(", ", sub.Select(f => f.Name + "=..."))}}}");
                Encode(nested, sub, into, at + field.Offset, $"{where}.{field.Name}");
                continue;
            }
            if (given is not NumberValue n)
                throw new ScenarioRuntimeException($"{where}.{field.Name} must be a number, not {Strace.Value(given)}");
            BinaryPrimitives.WriteInt64LittleEndian(into.AsSpan(at + field.Offset), n.Value);
        }
    }

    /// <summary>Every field as the bytes hold it after the call.</summary>
    public StructValue Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, Fields);

    private static StructValue Decode(ReadOnlySpan<byte> bytes, StructField[] fields)
    {
        var decoded = new List<KeyValuePair<string, ScenarioValue>>(fields.Length);
        foreach (var f in fields)
        {
            decoded.Add(new(f.Name, f.Sub is { } sub
                ? Decode(bytes[f.Offset..], sub)
                : new NumberValue(BinaryPrimitives.ReadInt64LittleEndian(bytes[f.Offset..]))));
        }
        return new StructValue(decoded);
    }

    /// <summary>What the scenario expects the kernel to have written: its Out fields, and the OUT of IN =&gt; OUT ones.</summary>
    public StructValue Expectation(StructValue value) => Expectation(value, Fields);

    private static StructValue Expectation(StructValue value, StructField[] fields)
    {
        var expected = new List<KeyValuePair<string, ScenarioValue>>();
        foreach (var field in fields)
        {
            switch (value[field.Name])
            {
                case InOutValue io:
                    expected.Add(new(field.Name, io.Out));
                    break;
                case StructValue nested when field.Sub is { } sub:
                    var inner = Expectation(nested, sub);
                    if (inner.Fields.Count > 0)
                        expected.Add(new(field.Name, inner));
                    break;
                case { } given when field.Use == FieldUse.Out:
                    expected.Add(new(field.Name, given));
                    break;
            }
        }
        return new StructValue(expected);
    }

    /// <summary>strace's rendering: inputs as given, outputs as written, <c>IN =&gt; OUT</c> where the kernel changed a field.</summary>
    public string Format(StructValue? given, StructValue? written) => Format(given, written, Fields);

    private static string Format(StructValue? given, StructValue? written, StructField[] fields)
    {
        var parts = new List<string>();
        foreach (var field in fields)
        {
            var input = given?[field.Name] is InOutValue io ? io.In : given?[field.Name];
            var output = written?[field.Name];
            if (field.Sub is { } sub)
            {
                if (input is not null || output is not null)
                    parts.Add($"{field.Name}={Format(input as StructValue, output as StructValue, sub)}");
                continue;
            }
            string Show(ScenarioValue v) => v is NumberValue n && field.Print is { } print ? print(n.Value) : Strace.Value(v);
            switch (field.Use)
            {
                case FieldUse.In when input is not null:
                    parts.Add($"{field.Name}={Show(input)}");
                    break;
                case FieldUse.Out when output is not null || input is not null:
                    parts.Add($"{field.Name}={Show(output ?? input!)}");
                    break;
                case FieldUse.InOut when input is not null:
                    parts.Add(output is not null && !input.Matches(output)
                        ? $"{field.Name}={Show(input)} => {field.Name}={Show(output)}"
                        : $"{field.Name}={Show(input)}");
                    break;
            }
        }
        return $"{{{string.Join(", ", parts)}}}";
    }
}

/// <summary>
/// The third argument of ioctl(2) on a userfaultfd: the UFFDIO_* command's struct in strace's notation
/// (<c>{dst=$a, src=$b, len=4K, mode=0, copy=4096}</c>), NULL, or a pointer into the process's memory. The layout
/// is the command's, chosen when the call runs.
/// </summary>
internal sealed class UffdioArgKind : ParamKind
{
    private static readonly StructField[] s_range = [new("start", 0, FieldUse.In, Strace.Hex), new("len", 8, FieldUse.In)];

    private static readonly Dictionary<uint, StructLayout> s_layouts = new()
    {
        [Uffd.UFFDIO_API] = new("struct uffdio_api", 24,
        [
            new("api", 0, FieldUse.In, Strace.Hex),
            new("features", 8, FieldUse.InOut, v => Flags(v, "UFFD_FEATURE_")),
            new("ioctls", 16, FieldUse.Out, Ioctls),
        ]),
        [Uffd.UFFDIO_REGISTER] = new("struct uffdio_register", 32,
        [
            new("range", 0, FieldUse.In, Sub: s_range),
            new("mode", 16, FieldUse.In, v => Flags(v, "UFFDIO_REGISTER_MODE_")),
            new("ioctls", 24, FieldUse.Out, Ioctls),
        ]),
        [Uffd.UFFDIO_UNREGISTER] = new("struct uffdio_range", 16, s_range),
        [Uffd.UFFDIO_WAKE] = new("struct uffdio_range", 16, s_range),
        [Uffd.UFFDIO_COPY] = new("struct uffdio_copy", 40,
        [
            new("dst", 0, FieldUse.In, Strace.Hex),
            new("src", 8, FieldUse.In, Strace.Hex),
            new("len", 16, FieldUse.In),
            new("mode", 24, FieldUse.In, v => Flags(v, "UFFDIO_COPY_MODE_")),
            new("copy", 32, FieldUse.Out),
        ]),
        [Uffd.UFFDIO_ZEROPAGE] = new("struct uffdio_zeropage", 32,
        [
            new("range", 0, FieldUse.In, Sub: s_range),
            new("mode", 16, FieldUse.In, v => Flags(v, "UFFDIO_ZEROPAGE_MODE_")),
            new("zeropage", 24, FieldUse.Out),
        ]),
        [Uffd.UFFDIO_CONTINUE] = new("struct uffdio_continue", 32,
        [
            new("range", 0, FieldUse.In, Sub: s_range),
            new("mode", 16, FieldUse.In, v => Flags(v, "UFFDIO_CONTINUE_MODE_")),
            new("mapped", 24, FieldUse.Out),
        ]),
        [Uffd.UFFDIO_MOVE] = new("struct uffdio_move", 40,
        [
            new("dst", 0, FieldUse.In, Strace.Hex),
            new("src", 8, FieldUse.In, Strace.Hex),
            new("len", 16, FieldUse.In),
            new("mode", 24, FieldUse.In, v => Flags(v, "UFFDIO_MOVE_MODE_")),
            new("move", 32, FieldUse.Out),
        ]),
        [Uffd.UFFDIO_POISON] = new("struct uffdio_poison", 32,
        [
            new("range", 0, FieldUse.In, Sub: s_range),
            new("mode", 16, FieldUse.In, v => Flags(v, "UFFDIO_POISON_MODE_")),
            new("updated", 24, FieldUse.Out),
        ]),
        [Uffd.UFFDIO_WRITEPROTECT] = new("struct uffdio_writeprotect", 24,
        [
            new("range", 0, FieldUse.In, Sub: s_range),
            new("mode", 16, FieldUse.In, v => Flags(v, "UFFDIO_WRITEPROTECT_MODE_")),
        ]),
    };

    internal override void Check(Expr arg, string param)
    {
        if (arg is StructExpr or NullExpr || arg.IsNumeric)
            return;
        throw Mismatch(arg, param, "a struct, NULL or a pointer");
    }

    internal override string Format(ScenarioValue value) => Strace.Value(value);

    internal override string FormatArg(CallFrame frame, int i) =>
        frame.Arg(i) is StructValue given && Layout(frame.I64(i - 1)) is { } layout
            ? layout.Format(given, frame.Output(i) as StructValue)
            : frame.Arg(i) is NumberValue n ? Strace.Pointer(n.Value) : Strace.Value(frame.Arg(i));

    internal override ScenarioValue? ExpectedOutput(CallFrame frame, int i) =>
        frame.Arg(i) is StructValue given && Layout(frame.I64(i - 1)) is { } layout ? layout.Expectation(given) : null;

    /// <summary>The layout of command <paramref name="cmd"/>'s struct, or null for a command the model has none for.</summary>
    public static StructLayout? Layout(long cmd) => s_layouts.GetValueOrDefault(unchecked((uint)cmd));

    /// <summary>The argument as the kernel gets it: the struct's bytes in a buffer, NULL, or an address.</summary>
    public static UserPtr ToPointer(ScenarioValue value, long cmd, out byte[]? buffer)
    {
        buffer = null;
        switch (value)
        {
            case StructValue s:
                var layout = Layout(cmd)
                    ?? throw new ScenarioRuntimeException($"ioctl command {Strace.Hex(cmd)} takes no struct the model knows: pass a pointer");
                buffer = layout.Encode(s);
                return UserPtr.Of(buffer);
            case NumberValue n:
                return UserPtr.At(unchecked((ulong)n.Value));
            default:
                return UserPtr.Null;
        }
    }

    /// <summary>strace's flags: names joined by |, what no name covers in hex.</summary>
    private static string Flags(long value, string prefix)
    {
        if (value == 0)
            return "0";
        var parts = new List<string>();
        long rest = value;
        foreach (var (name, bit) in Symbols.WithPrefix(prefix))
        {
            if (bit != 0 && (rest & bit) == bit)
            {
                parts.Add(name);
                rest &= ~bit;
            }
        }
        if (rest != 0)
            parts.Add(Strace.Hex(rest));
        return string.Join('|', parts);
    }

    /// <summary>strace's ioctls mask: <c>1&lt;&lt;_UFFDIO_WAKE|1&lt;&lt;_UFFDIO_COPY|...</c>.</summary>
    private static string Ioctls(long value)
    {
        if (value == 0)
            return "0";
        var parts = new List<string>();
        foreach (var (name, bit) in Symbols.WithPrefix("_UFFDIO_"))
        {
            if ((value & (1L << (int)bit)) != 0)
                parts.Add($"1<<{name}");
        }
        return string.Join('|', parts);
    }
}

/// <summary>
/// read(2)'s buffer on a userfaultfd: what the kernel is expected to write, as one struct uffd_msg in strace's
/// notation (<c>{event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE, address=$a}}</c>), an
/// array of them, <c>...</c> (not checked), NULL or a pointer; only the fields listed are compared. strace itself
/// does not decode these messages: it prints the bytes read as a string (<c>"\23\0\0\0..."</c>), which is
/// compared byte for byte with what the kernel wrote.
/// </summary>
internal sealed class UffdMsgKind : ParamKind
{
    internal override void Check(Expr arg, string param)
    {
        if (arg is StructExpr or ArrayExpr or AnyExpr or NullExpr or StringExpr || arg.IsNumeric)
            return;
        throw Mismatch(arg, param, "a struct uffd_msg, an array of them, the bytes as a string, ... or a pointer");
    }

    internal override ScenarioValue? ExpectedOutput(CallFrame frame, int i) =>
        frame.Arg(i) is StructValue or ArrayValue or StringValue ? frame.Arg(i) : null;

    /// <summary>A FORK message's new fd is bound from it: <c>fork={ufd=$child_uffd}</c>.</summary>
    internal override bool BindsOutputs => true;

    internal override string FormatArg(CallFrame frame, int i) =>
        frame.Output(i) is { } written ? Format(written)
        : frame.Arg(i) is NumberValue n ? Strace.Pointer(n.Value)
        : Format(frame.Arg(i));

    internal override string Format(ScenarioValue value) => value switch
    {
        StructValue s => FormatMsg(s),
        ArrayValue a => $"[{string.Join(", ", a.Items.Select(Format))}]",
        _ => Strace.Value(value),
    };

    /// <summary>The messages in <paramref name="bytes"/>: a struct for one, an array for several.</summary>
    public static ScenarioValue Decode(ReadOnlySpan<byte> bytes)
    {
        var messages = new List<ScenarioValue>();
        for (int at = 0; at + 32 <= bytes.Length; at += 32)
            messages.Add(DecodeOne(bytes.Slice(at, 32)));
        return messages.Count == 1 ? messages[0] : new ArrayValue(messages);
    }

    private static StructValue DecodeOne(ReadOnlySpan<byte> msg)
    {
        int ev = msg[0];
        var w8 = new NumberValue(BinaryPrimitives.ReadInt64LittleEndian(msg[8..]));
        var w16 = new NumberValue(BinaryPrimitives.ReadInt64LittleEndian(msg[16..]));
        var w24 = new NumberValue(BinaryPrimitives.ReadInt64LittleEndian(msg[24..]));
        var ptid = new NumberValue(BinaryPrimitives.ReadUInt32LittleEndian(msg[24..]));
        var arg = ev switch
        {
            Uffd.UFFD_EVENT_PAGEFAULT => new KeyValuePair<string, ScenarioValue>("pagefault", new StructValue(
            [
                new("flags", w8),
                new("address", w16),
                new("feat", new StructValue([new("ptid", ptid)])),
            ])),
            Uffd.UFFD_EVENT_FORK => new KeyValuePair<string, ScenarioValue>("fork", new StructValue(
                [new("ufd", new NumberValue(BinaryPrimitives.ReadUInt32LittleEndian(msg[8..])))])),
            Uffd.UFFD_EVENT_REMAP => new KeyValuePair<string, ScenarioValue>("remap", new StructValue(
                [new("from", w8), new("to", w16), new("len", w24)])),
            Uffd.UFFD_EVENT_REMOVE or Uffd.UFFD_EVENT_UNMAP => new KeyValuePair<string, ScenarioValue>("remove", new StructValue(
                [new("start", w8), new("end", w16)])),
            _ => new KeyValuePair<string, ScenarioValue>("reserved", new StructValue([
                new("reserved1", w8), new("reserved2", w16), new("reserved3", w24)])),
        };
        return new StructValue([new("event", new NumberValue(ev)), arg]);
    }

    private static string FormatMsg(StructValue s)
    {
        var parts = new List<string>();
        foreach (var (key, value) in s.Fields)
        {
            parts.Add((key, value) switch
            {
                ("event", NumberValue n) => $"event={EventName(n.Value)}",
                ("pagefault", StructValue pf) => $"pagefault={FormatPagefault(pf)}",
                _ => Strace.Field(key, value),
            });
        }
        return $"{{{string.Join(", ", parts)}}}";
    }

    private static string FormatPagefault(StructValue pf) =>
        $"{{{string.Join(", ", pf.Fields.Select(f => f.Key == "flags" && f.Value is NumberValue n ? $"flags={PagefaultFlags(n.Value)}" : Strace.Field(f.Key, f.Value)))}}}";

    private static string PagefaultFlags(long flags)
    {
        if (flags == 0)
            return "0";
        var names = Symbols.WithPrefix("UFFD_PAGEFAULT_FLAG_").Where(kv => (flags & kv.Value) != 0).Select(kv => kv.Key).ToList();
        long known = Symbols.WithPrefix("UFFD_PAGEFAULT_FLAG_").Aggregate(0L, (m, kv) => m | kv.Value);
        if ((flags & ~known) != 0)
            names.Add(Strace.Hex(flags & ~known));
        return string.Join('|', names);
    }

    private static string EventName(long ev) =>
        Symbols.WithPrefix("UFFD_EVENT_").FirstOrDefault(kv => kv.Value == ev).Key ?? Strace.Hex(ev);
}
