namespace MmSim.Host;

/// <summary>A swap file as mkswap makes one, written out in full (swapon refuses files with holes).</summary>
public static class SwapFile
{
    private const int PageSize = 4096;

    /// <summary>
    /// Writes a swap file of <paramref name="bytes"/> (whole pages, at least 10) at <paramref name="path"/>: the header
    /// page (union swap_header: version 1, last_page, no bad pages, the "SWAPSPACE2" signature at the page's end), then
    /// zeros, flushed to disk, mode 0600.
    /// </summary>
    public static void Write(string path, ulong bytes)
    {
        ulong pages = bytes / PageSize;
        if (pages < 10 || pages > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "a swap file has 10 pages at least");
        using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            var header = new byte[PageSize];
            BitConverter.TryWriteBytes(header.AsSpan(1024), 1u);
            BitConverter.TryWriteBytes(header.AsSpan(1028), (uint)(pages - 1));
            "SWAPSPACE2"u8.CopyTo(header.AsSpan(PageSize - 10));
            f.Write(header);
            var zeros = new byte[1 << 20];
            for (ulong left = (pages - 1) * PageSize; left > 0;)
            {
                int n = (int)Math.Min(left, (ulong)zeros.Length);
                f.Write(zeros, 0, n);
                left -= (ulong)n;
            }
            f.Flush(flushToDisk: true);
        }
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
