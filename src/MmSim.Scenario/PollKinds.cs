using System.Buffers.Binary;

namespace MmSim.Scenario;

/// <summary>
/// poll(2)'s array of struct pollfd {int fd; short events; short revents}, as strace prints it with what the kernel
/// wrote: <c>[{fd=$u, events=POLLIN, revents=POLLIN}]</c>. fd and events are inputs; revents, listed, is what the
/// kernel is expected to write (omitted, it is not checked).
/// </summary>
internal sealed class PollFdsKind : ParamKind
{
    private const int EntrySize = 8;

    internal override void Check(Expr arg, string param)
    {
        if (arg is NullExpr || arg.IsNumeric)
            return;
        if (arg is not ArrayExpr array)
            throw Mismatch(arg, param, "an array of {fd=..., events=...}, NULL or a pointer");
        foreach (var item in array.Items)
        {
            if (item is not StructExpr s)
                throw Mismatch(item, param, "{fd=..., events=...}");
            foreach (var field in s.Fields)
            {
                if (field.Name is not ("fd" or "events" or "revents"))
                    throw new ScenarioSyntaxException(field.Value.Pos, $"struct pollfd has no field '{field.Name}' (it has fd, events, revents)");
            }
        }
    }

    /// <summary>The entries' bytes, the pointer the kernel gets, or NULL.</summary>
    public static UserPtr ToPointer(ScenarioValue value, out byte[]? buffer)
    {
        buffer = null;
        switch (value)
        {
            case NumberValue n:
                return UserPtr.At(unchecked((ulong)n.Value));
            case ArrayValue array:
                buffer = new byte[array.Items.Count * EntrySize];
                for (int i = 0; i < array.Items.Count; i++)
                {
                    var entry = (StructValue)array.Items[i];
                    var at = buffer.AsSpan(i * EntrySize);
                    BinaryPrimitives.WriteInt32LittleEndian(at, (int)Number(entry, "fd"));
                    BinaryPrimitives.WriteInt16LittleEndian(at[4..], (short)Number(entry, "events"));
                }
                return UserPtr.Of(buffer);
            default:
                return UserPtr.Null;
        }
    }

    private static long Number(StructValue entry, string field) => entry[field] switch
    {
        NumberValue n => n.Value,
        null => throw new ScenarioRuntimeException($"struct pollfd needs {field}"),
        var other => throw new ScenarioRuntimeException($"pollfd.{field} must be a number, not {Strace.Value(other)}"),
    };

    /// <summary>Each entry as the kernel left it: fd, events and revents.</summary>
    public static ArrayValue Decode(ReadOnlySpan<byte> bytes)
    {
        var items = new List<ScenarioValue>();
        for (int at = 0; at + EntrySize <= bytes.Length; at += EntrySize)
        {
            items.Add(new StructValue(
            [
                new("fd", new NumberValue(BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]))),
                new("events", new NumberValue(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 4)..]))),
                new("revents", new NumberValue(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 6)..]))),
            ]));
        }
        return new ArrayValue(items);
    }

    internal override ScenarioValue? ExpectedOutput(CallFrame frame, int i) =>
        frame.Arg(i) is ArrayValue given
            ? new ArrayValue(given.Items.Select(item => (ScenarioValue)new StructValue(
                ((StructValue)item)["revents"] is { } revents ? [new("revents", revents)] : [])).ToList())
            : null;

    internal override string FormatArg(CallFrame frame, int i) =>
        frame.Output(i) is { } written ? Format(written) : Format(frame.Arg(i));

    internal override string Format(ScenarioValue value) => value switch
    {
        ArrayValue a => $"[{string.Join(", ", a.Items.Select(FormatEntry))}]",
        NumberValue n => Strace.Pointer(n.Value),
        _ => Strace.Value(value),
    };

    private static string FormatEntry(ScenarioValue item) => item is StructValue s
        ? $"{{{string.Join(", ", s.Fields.Select(f => f.Key is "events" or "revents" && f.Value is NumberValue n ? $"{f.Key}={Events(n.Value)}" : Strace.Field(f.Key, f.Value)))}}}"
        : Strace.Value(item);

    private static string Events(long bits)
    {
        if (bits == 0)
            return "0";
        var names = Symbols.WithPrefix("POLL").Where(kv => (bits & kv.Value) == kv.Value).Select(kv => kv.Key).ToList();
        long known = names.Aggregate(0L, (acc, name) => acc | Symbols.WithPrefix(name).First(kv => kv.Key == name).Value);
        if (known != bits)
            names.Add(Strace.Hex(bits & ~known));
        return string.Join('|', names);
    }
}
