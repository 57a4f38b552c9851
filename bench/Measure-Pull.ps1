<#
.SYNOPSIS
    Times a cold pull of a ~150 MB, 5-layer gzip image from a local registry: PSContainer beside
    podman pull and skopeo copy (to an OCI layout), in one run. Prints medians, ratios and peak memory.
.DESCRIPTION
    Everything runs against Debian's docker-registry on 127.0.0.1; nothing leaves the machine.
    PSContainer pulls in a fresh pwsh per run (so its peak RSS is measured), into a fresh store each time.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 3,
    [int] $LayerMegabytes = 30,
    [int] $LayerCount = 5
)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) ("psc-pullbench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$registry = $null
$pwsh = Join-Path $PSHOME 'pwsh'

function Get-Sha256([string] $path) { (Get-FileHash -Algorithm SHA256 $path).Hash.ToLowerInvariant() }

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
}

function Measure-Median([scriptblock] $Action, [int] $Count) {
    $times = foreach ($i in 1..$Count) { (Measure-Command $Action).TotalMilliseconds }
    ($times | Sort-Object)[[int][math]::Floor(($times.Count - 1) / 2)]
}

try {
    # An OCI layout with incompressible layers, pushed by skopeo as an independent client.
    $layout = Join-Path $work 'layout'
    $blobs = Join-Path $layout 'blobs/sha256'
    New-Item -ItemType Directory -Force -Path $blobs | Out-Null
    $layers = @(); $diffIds = @()
    foreach ($i in 1..$LayerCount) {
        $dir = Join-Path $work "layer$i"
        New-Item -ItemType Directory -Force -Path (Join-Path $dir "data$i") | Out-Null
        & head -c "$($LayerMegabytes)M" /dev/urandom > (Join-Path $dir "data$i/blob.bin")
        $tar = Join-Path $work "layer$i.tar"
        & tar -C $dir -cf $tar .
        $diffIds += 'sha256:' + (Get-Sha256 $tar)
        & gzip -1 -f $tar
        $gz = "$tar.gz"
        $digest = Get-Sha256 $gz
        Move-Item $gz (Join-Path $blobs $digest)
        $layers += @{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = "sha256:$digest"; size = (Get-Item (Join-Path $blobs $digest)).Length }
        Remove-Item -Recurse -Force $dir
    }
    $config = @{ architecture = 'amd64'; os = 'linux'; config = @{ Cmd = @('/bin/sh') }; rootfs = @{ type = 'layers'; diff_ids = $diffIds } } | ConvertTo-Json -Depth 5 -Compress
    $configPath = Join-Path $work 'config.json'; [IO.File]::WriteAllText($configPath, $config)
    $configDigest = Get-Sha256 $configPath; Copy-Item $configPath (Join-Path $blobs $configDigest)
    $manifest = @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = "sha256:$configDigest"; size = (Get-Item $configPath).Length }; layers = $layers } | ConvertTo-Json -Depth 5 -Compress
    $manifestPath = Join-Path $work 'manifest.json'; [IO.File]::WriteAllText($manifestPath, $manifest)
    $manifestDigest = Get-Sha256 $manifestPath; Copy-Item $manifestPath (Join-Path $blobs $manifestDigest)
    [IO.File]::WriteAllText((Join-Path $layout 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
    $index = @{ schemaVersion = 2; manifests = @(@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = "sha256:$manifestDigest"; size = (Get-Item $manifestPath).Length; annotations = @{ 'org.opencontainers.image.ref.name' = 'big' } }) } | ConvertTo-Json -Depth 5 -Compress
    [IO.File]::WriteAllText((Join-Path $layout 'index.json'), $index)
    $totalMB = [math]::Round((($layers | ForEach-Object size) | Measure-Object -Sum).Sum / 1MB, 1)

    $port = Get-FreePort
    $regConfig = Join-Path $work 'registry.yml'
    [IO.File]::WriteAllText($regConfig, "version: 0.1`nstorage:`n  filesystem:`n    rootdirectory: $work/registry`nhttp:`n  addr: 127.0.0.1:$port`n")
    $registry = Start-Process -FilePath /usr/bin/docker-registry -ArgumentList 'serve', $regConfig -PassThru -RedirectStandardError (Join-Path $work 'registry.log') -RedirectStandardOutput (Join-Path $work 'registry.out')
    $deadline = (Get-Date).AddSeconds(20)
    while ($true) {
        try { Invoke-WebRequest "http://127.0.0.1:$port/v2/" -UseBasicParsing | Out-Null; break } catch { if ((Get-Date) -gt $deadline) { throw 'registry did not start' }; Start-Sleep -Milliseconds 100 }
    }
    $ref = "127.0.0.1:$port/bench/big:1"
    & skopeo copy --quiet --dest-tls-verify=false "oci:${layout}:big" "docker://$ref"
    if ($LASTEXITCODE) { throw 'skopeo push failed' }

    $psTimes = @(); $psPeakMB = @()
    foreach ($i in 1..$Runs) {
        $root = Join-Path $work "psc-$i"
        $script = "`$env:PSCONTAINER_ROOT = '$root'; Import-Module '$ModulePath'; `$sw = [Diagnostics.Stopwatch]::StartNew(); Receive-Image '$ref' -ProgressAction SilentlyContinue | Out-Null; `$sw.Stop(); `$hwm = (Get-Content /proc/self/status | Select-String VmHWM).ToString(); `"RESULT `$(`$sw.Elapsed.TotalMilliseconds) `$hwm`""
        $out = & $pwsh -NoProfile -NonInteractive -Command $script
        $line = $out | Where-Object { $_ -match '^RESULT ' } | Select-Object -Last 1
        if ($line -notmatch '^RESULT ([\d.]+) VmHWM:\s+(\d+) kB') { throw "PSContainer pull failed: $out" }
        $psTimes += [double] $Matches[1]; $psPeakMB += [math]::Round([double] $Matches[2] / 1024, 1)
        & $pwsh -NoProfile -NonInteractive -Command "`$env:PSCONTAINER_ROOT = '$root'; Import-Module '$ModulePath'; Get-Image | Remove-Image -Force" | Out-Null
        Remove-Item -Recurse -Force $root, "$root-run" -ErrorAction SilentlyContinue
    }
    $psMedian = ($psTimes | Sort-Object)[[int][math]::Floor(($psTimes.Count - 1) / 2)]

    $podmanRoot = Join-Path $work 'podman'
    $podman = Measure-Median -Count $Runs {
        Remove-Item -Recurse -Force $podmanRoot -ErrorAction SilentlyContinue
        & podman --root "$podmanRoot/root" --runroot "$podmanRoot/run" --storage-driver overlay pull -q --tls-verify=false $ref | Out-Null
        if ($LASTEXITCODE) { throw 'podman pull failed' }
    }
    & podman --root "$podmanRoot/root" --runroot "$podmanRoot/run" --storage-driver overlay system reset -f 2>$null | Out-Null
    $skopeoDir = Join-Path $work 'skopeo'
    $skopeo = Measure-Median -Count $Runs {
        Remove-Item -Recurse -Force $skopeoDir -ErrorAction SilentlyContinue
        & skopeo copy --quiet --src-tls-verify=false "docker://$ref" "oci:${skopeoDir}:big" | Out-Null
        if ($LASTEXITCODE) { throw 'skopeo copy failed' }
    }

    $table = @(
        "Cold pull of a $LayerCount-layer gzip image ($totalMB MB compressed) from docker-registry on 127.0.0.1, median of $Runs",
        '',
        '| tool | median ms | ratio PSContainer / tool |',
        '|---|---:|---:|',
        "| PSContainer Receive-Image | $([math]::Round($psMedian)) | 1.00 |",
        "| podman pull | $([math]::Round($podman)) | $([math]::Round($psMedian / $podman, 2)) |",
        "| skopeo copy to an OCI layout | $([math]::Round($skopeo)) | $([math]::Round($psMedian / $skopeo, 2)) |",
        '',
        "PSContainer peak RSS of the whole pwsh process (VmHWM), per run: $($psPeakMB -join ', ') MB"
    )
    $table | Write-Output
    $outDir = Join-Path (Split-Path $PSScriptRoot) 'out'
    New-Item -ItemType Directory -Force -Path $outDir | Out-Null
    $table | Set-Content (Join-Path $outDir 'bench-pull.md')
}
finally {
    if ($registry) { Stop-Process -Id $registry.Id -Force -ErrorAction SilentlyContinue }
    Get-ChildItem $work -Directory -Filter 'psc-*' -ErrorAction SilentlyContinue | ForEach-Object {
        Get-Content /proc/mounts | Where-Object { $_ -like "* $($_.FullName)*" } | ForEach-Object { & umount -l ($_ -split ' ')[1] }
    }
    & podman --root "$work/podman/root" --runroot "$work/podman/run" system reset -f 2>$null | Out-Null
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
