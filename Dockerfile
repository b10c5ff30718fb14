# The Redoubt operator image: `docker build -t redoubt:latest .`, then `kubectl apply -k deploy/`.
# Build stage: the SDK restores and publishes the command line (it carries `redoubt operator`).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
# Build output of a developer's tree, if the context carried any, must not leak into the image's restore.
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && dotnet publish src/Redoubt/Redoubt.csproj -c Release -o /app --nologo

# Runtime stage: ASP.NET Core runtime (the command line references it), no SDK, no shell tools needed.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# DOTNET_GCgen0size: a 4 MiB gen0 budget keeps the long-running operator's resident memory small (README, "Footprint").
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_NOLOGO=1 \
    DOTNET_GCgen0size=0x400000
# A fixed non-root uid, so runAsNonRoot can verify it.
USER 65532:65532
# The same image runs the backup and restore Jobs (`redoubt backup-job`); their redis-server is copied from the
# resource's own Redis image by the Job's init container, so this image needs no Redis of its own.
ENTRYPOINT ["/app/redoubt"]
CMD ["operator"]
