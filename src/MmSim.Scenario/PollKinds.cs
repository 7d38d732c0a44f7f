using System.Buffers.Binary;

namespace MmSim.Scenario;

/// <summary>
/// poll(2)'s array of struct pollfd {int fd; short events; short revents}, as strace prints it with what the kernel
/// wrote: <c>[{fd=$u, events=POLLIN, revents=POLLIN}]</c>. fd and events are inputs; revents, listed, is what the
/// kernel is expected to write (omitted, it is not checked).
/// </summary>
internal sealed class PollFdsKind() : StructArrayKind("pollfd", 8, "fd", "events", "revents")
{
    public static readonly PollFdsKind Instance = new();

    private protected override void Encode(StructValue entry, Span<byte> into)
    {
        BinaryPrimitives.WriteInt32LittleEndian(into, (int)Number(entry, "fd"));
        BinaryPrimitives.WriteInt16LittleEndian(into[4..], (short)Number(entry, "events"));
    }

    /// <summary>Each entry as the kernel left it: fd, events and revents.</summary>
    public static ArrayValue Decode(ReadOnlySpan<byte> bytes)
    {
        var items = new List<ScenarioValue>();
        for (int at = 0; at + 8 <= bytes.Length; at += 8)
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
