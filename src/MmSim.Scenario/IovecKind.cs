using System.Buffers.Binary;

namespace MmSim.Scenario;

/// <summary>
/// An array of struct iovec {void *iov_base; size_t iov_len}, as strace prints it:
/// <c>[{iov_base=$a, iov_len=4K}, {iov_base=$a+8K, iov_len=4K}]</c>. Both fields are inputs. NULL or a number is a
/// pointer passed as it is.
/// </summary>
internal sealed class IovecKind() : StructArrayKind("iovec", 16, "iov_base", "iov_len")
{
    public static readonly IovecKind Instance = new();

    private protected override void Encode(StructValue entry, Span<byte> into)
    {
        BinaryPrimitives.WriteInt64LittleEndian(into, Number(entry, "iov_base"));
        BinaryPrimitives.WriteInt64LittleEndian(into[8..], Number(entry, "iov_len"));
    }

    internal override string Format(ScenarioValue value) => value switch
    {
        ArrayValue a => $"[{string.Join(", ", a.Items.Select(item => item is StructValue s
            ? $"{{{string.Join(", ", s.Fields.Select(f => f.Key == "iov_base" && f.Value is NumberValue n ? $"iov_base={Strace.Hex(n.Value)}" : Strace.Field(f.Key, f.Value)))}}}"
            : Strace.Value(item)))}]",
        NumberValue n => Strace.Pointer(n.Value),
        _ => Strace.Value(value),
    };
}
