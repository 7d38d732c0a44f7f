namespace MmSim.Mm;

internal sealed partial class MmStruct
{
    /// <summary>
    /// unmap_mapping_range() for this mm: zap the PTEs of VMAs mapping the file's pages [fromIndex, toIndex).
    /// With <paramref name="evenCows"/> (truncation) private copy-on-write copies go too; without (a hole punch)
    /// they stay.
    /// </summary>
    public void UnmapMappingRange(ShmemFile file, ulong fromIndex, ulong toIndex = ulong.MaxValue, bool evenCows = true)
    {
        foreach (var vma in Vmas)
        {
            if (vma.File != file)
                continue;
            ulong vmaEndIndex = vma.PgOff + vma.Pages;
            if (vmaEndIndex <= fromIndex || vma.PgOff >= toIndex)
                continue;
            ulong start = fromIndex <= vma.PgOff ? vma.Start : vma.Start + ((fromIndex - vma.PgOff) << PageShift);
            ulong end = toIndex >= vmaEndIndex ? vma.End : vma.Start + ((toIndex - vma.PgOff) << PageShift);
            UpdateHiwaterRss();
            ZapRange(vma, start, end, evenCows ? ZapKind.Advice : ZapKind.Punch);
        }
    }
}
