namespace MmSim.Mm;

internal sealed partial class MmStruct
{
    /// <summary>
    /// unmap_mapping_range(mapping, from, 0, even_cows=1) for this mm: zap every PTE of VMAs mapping the file at
    /// page index &gt;= fromIndex, including private COW copies, as a shmem truncate does.
    /// </summary>
    public void UnmapMappingRange(ShmemFile file, ulong fromIndex)
    {
        foreach (var vma in Vmas)
        {
            if (vma.File != file)
                continue;
            ulong vmaEndIndex = vma.PgOff + vma.Pages;
            if (vmaEndIndex <= fromIndex)
                continue;
            ulong start = fromIndex <= vma.PgOff ? vma.Start : vma.Start + ((fromIndex - vma.PgOff) << PageShift);
            UpdateHiwaterRss();
            ZapRange(vma, start, vma.End);
        }
    }
}
