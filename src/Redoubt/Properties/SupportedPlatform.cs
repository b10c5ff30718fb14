using System.Runtime.Versioning;

// The local platform runs Redis processes, Unix sockets and file modes: Linux only, said once for the analyzers.
[assembly: SupportedOSPlatform("linux")]
