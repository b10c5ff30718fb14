using System.Runtime.Versioning;

// The local platform supervises Linux processes (setsid, /proc, POSIX signals).
[assembly: SupportedOSPlatform("linux")]
