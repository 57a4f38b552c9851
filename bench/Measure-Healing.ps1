#Requires -Version 7.6
<#
.SYNOPSIS
    What self-healing containers cost: resident memory left running per healthchecked container, beside
    podman, and the extra time -RestartPolicy always adds to a container's life.
.DESCRIPTION
    Memory: -Count containers (busybox sleep, no network, healthcheck "true" every 2 s) are started detached by
    PSContainer and by podman (podman run -d --rootfs <busybox dir> --network none --health-cmd ...), each in a
    private store. Once their probes have run for a while, the resident memory (RSS, and PSS, which shares
    library pages fairly) of every process each engine left running is summed: PSContainer's conmons and its
    one health monitor; podman's conmons. Podman runs healthchecks only from systemd timers, which this host
    may lack (no systemd as pid 1): then podman's side is conmon alone and its probes do not run at all; the
    table says which.
    Restart policy: interleaved rounds of a container's life (New-Container, Start-Container, Stop-Container,
    Remove-Container of a sleeping container) without a policy and with -RestartPolicy always; medians.
    Both engines use runc. Everything is removed at the end, also on failure. Needs root, podman, runc, conmon.
.EXAMPLE
    ./bench/Measure-Healing.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz
#>
[CmdletBinding()]
param(
    # The staged module manifest (out/PSContainer/PSContainer.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,
    # A busybox rootfs .tar.gz (build.ps1 makes it with New-BusyboxRootfs).
    [Parameter(Mandatory)]
    [string] $RootfsPath,
    # Healthchecked containers per engine.
    [ValidateRange(1, 200)]
    [int] $Count = 20,
    # Seconds the probes run before memory is read.
    [ValidateRange(1, 600)]
    [int] $Settle = 15,
    # Timed rounds of the restart-policy comparison.
    [ValidateRange(1, 1000)]
    [int] $Iterations = 10,
    # Where the markdown table is written.
    [string] $OutFile = (Join-Path $PSScriptRoot '../out/bench-healing.md')
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$RootfsPath = (Resolve-Path -LiteralPath $RootfsPath).ProviderPath
$OutFile = [IO.Path]::GetFullPath($OutFile)



# Processes whose command line mentions $Mentioning, with their RSS and PSS in KiB.
function Get-ProcessMemory([string] $Mentioning) {
    foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
        try {
            $cmdline = [IO.File]::ReadAllText("/proc/$($dir.Name)/cmdline").Replace([char]0, ' ')
            if (-not $cmdline.Contains($Mentioning) -or [int] $dir.Name -eq $PID) { continue }
            $rollup = [IO.File]::ReadAllLines("/proc/$($dir.Name)/smaps_rollup")
            $comm = [IO.File]::ReadAllText("/proc/$($dir.Name)/comm").Trim()
        } catch { continue }
        $kib = { param($name) [long] (($rollup | Where-Object { $_ -like "${name}:*" }) -replace '\D', '') }
        [pscustomobject]@{ Id = [int] $dir.Name; Name = $comm; Rss = & $kib 'Rss'; Pss = & $kib 'Pss' }
    }
}

if ((& id -u) -ne '0') { throw 'The benchmark needs root.' }
foreach ($tool in 'podman', 'runc', 'conmon') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool is not installed." }
}

$Work = Join-Path ([IO.Path]::GetTempPath()) ("psc-bench-healing-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Force -Path "$Work/rootfs", "$Work/podman/tmp" | Out-Null
$podmanGlobal = @('--root', "$Work/podman/root", '--runroot', "$Work/podman/run")
$savedConf = $env:CONTAINERS_CONF
try {
    Invoke-Native tar @('-xzf', $RootfsPath, '-C', "$Work/rootfs") | Out-Null
    $env:PSCONTAINER_ROOT = "$Work/psc/root"
    Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
    Import-Module $ModulePath -Force
    $null = Import-Image -Path $RootfsPath -Tag busybox:latest -Change 'CMD ["sh"]'
    $engine = Get-ContainerEngine
    Set-Content -Path "$Work/podman/containers.conf" -Value "[engine]`ntmp_dir = `"$Work/podman/tmp`"`nevents_logfile_path = `"$Work/podman/tmp/events.log`"`n"
    $env:CONTAINERS_CONF = "$Work/podman/containers.conf"
    $podmanVersion = (Invoke-Native podman @('--version')) -join ''
    $systemd = Test-Path /run/systemd/system

    # Memory: the same containers under each engine.
    Write-Host "Starting $Count healthchecked containers with each engine..."
    $health = @('--health-cmd', 'true', '--health-interval', '2s')
    $podmanHealth = $true
    for ($i = 0; $i -lt $Count; $i++) {
        $null = New-Container busybox -Name "mem-$i" -Network none -HealthCommand true -HealthInterval 2s -Command sleep, 3600 | Start-Container
        # As in bench/Measure-NetworkRun.ps1: rlimits runc may set here (podman asks for more than the host's).
        $run = @('run', '-d', '--runtime', 'runc', '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768',
            '--network', 'none', '--name', "mem-$i")
        $rootfs = @('--rootfs', "$Work/rootfs")
        $output = & podman @podmanGlobal @run @($(if ($podmanHealth) { $health } else { @() })) @rootfs sleep 3600 2>&1
        if ($LASTEXITCODE -ne 0 -and $podmanHealth) {
            # Without systemd podman cannot make its healthcheck timers: compare with conmon alone.
            Write-Host "podman refused --health-cmd here: $($output -join ' ')"
            $podmanHealth = $false
            & podman @podmanGlobal rm -f "mem-$i" 2>$null | Out-Null
            Invoke-Native podman ($podmanGlobal + $run + $rootfs + @('sleep', '3600')) | Out-Null
        } elseif ($LASTEXITCODE -ne 0) {
            throw "podman run failed: $($output -join ' ')"
        }
    }
    Start-Sleep -Seconds $Settle
    $healthy = @(Get-Container | Where-Object Health -EQ 'healthy').Count
    $podmanProbes = if ($podmanHealth) {
        @(Invoke-Native podman ($podmanGlobal + @('ps', '--format', '{{.Status}}')) | Where-Object { $_ -match '\(healthy\)' }).Count
    } else { 0 }
    $psc = @(Get-ProcessMemory -Mentioning "$Work/psc/root")
    $pod = @(Get-ProcessMemory -Mentioning "$Work/podman/root")
    # What stays: conmons and the health monitor. A probe's own processes (runc exec) live for the probe only
    # and are reported apart; podman's would be there too if its timers ran.
    $pscConmon = @($psc | Where-Object Name -EQ 'conmon')
    $pscMonitor = @($psc | Where-Object { $_.Name -like 'pscontainer-*' -or $_.Name -eq 'dotnet' })
    $pscProbes = @($psc | Where-Object { $_.Name -ne 'conmon' -and $_ -notin $pscMonitor })
    $podConmon = @($pod | Where-Object Name -EQ 'conmon')
    $psc = @($pscConmon + $pscMonitor)
    $pod = $podConmon
    $sum = { param($list, $field) [double] ($(foreach ($item in $list) { $item.$field }) | Measure-Object -Sum).Sum }
    $perPsc = (& $sum $psc Rss) / $Count / 1024
    $perPod = (& $sum $pod Rss) / $Count / 1024
    Get-Container | Remove-Container -Force
    & podman @podmanGlobal rm --all --force --time 0 2>$null | Out-Null

    # Restart policy: the same life with and without -RestartPolicy always, interleaved.
    Write-Host "Timing $Iterations rounds of a container's life with and without -RestartPolicy always..."
    $life = {
        param([string[]] $Policy)
        $extra = @{}
        if ($Policy) { $extra.RestartPolicy = $Policy[0] }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $c = New-Container busybox -Network none @extra -Command sleep, 300 | Start-Container -PassThru
        Stop-Container -Id $c.Id -Timeout 0
        Remove-Container -Id $c.Id
        $watch.Elapsed.TotalMilliseconds
    }
    $times = @{ 'no policy' = [Collections.Generic.List[double]]::new(); 'always' = [Collections.Generic.List[double]]::new() }
    $null = & $life @(); $null = & $life @('always')
    for ($i = 0; $i -lt $Iterations; $i++) {
        $times['no policy'].Add((& $life @()))
        $times['always'].Add((& $life @('always')))
    }
    $plain = Get-Median $times['no policy']
    $always = Get-Median $times['always']

    $table = [Text.StringBuilder]::new()
    [void] $table.AppendLine("### Memory left running per healthchecked container ($Count containers, probe every 2 s)")
    [void] $table.AppendLine()
    [void] $table.AppendLine('| engine | processes | RSS total | RSS per container | PSS per container | probes running |')
    [void] $table.AppendLine('|---|---|---:|---:|---:|---|')
    [void] $table.AppendLine(('| PSContainer | {0} conmon + {1} health monitor | {2:N1} MiB | **{3:N2} MiB** | {4:N2} MiB | yes ({5}/{6} healthy) |' -f
        $pscConmon.Count, $pscMonitor.Count, ((& $sum $psc Rss) / 1024), $perPsc, ((& $sum $psc Pss) / $Count / 1024), $healthy, $Count))
    [void] $table.AppendLine(('| podman | {0} conmon | {1:N1} MiB | **{2:N2} MiB** | {3:N2} MiB | {4} |' -f
        $podConmon.Count, ((& $sum $pod Rss) / 1024), $perPod, ((& $sum $pod Pss) / $Count / 1024),
        $(if ($podmanHealth -and $podmanProbes -gt 0) { "yes ($podmanProbes/$Count healthy)" } elseif ($podmanHealth) { 'no: its timers need systemd' } else { 'no: --health-cmd refused without systemd' })))
    [void] $table.AppendLine()
    [void] $table.AppendLine(('Per container PSContainer leaves {0:N2} MiB beside podman''s {1:N2} MiB: {2:+0.00;-0.00} MiB. PSContainer''s health monitor: {3:N1} MiB RSS for all {4} containers. Probe processes alive at the moment of reading (runc exec, gone when the probe ends): {5}, {6:N1} MiB. systemd running: {7}.' -f
        $perPsc, $perPod, ($perPsc - $perPod), ((& $sum $pscMonitor Rss) / 1024), $Count, $pscProbes.Count, ((& $sum $pscProbes Rss) / 1024), $systemd))
    [void] $table.AppendLine()
    [void] $table.AppendLine("### A container's life (New, Start, Stop, Remove), median of $Iterations")
    [void] $table.AppendLine()
    [void] $table.AppendLine('| restart policy | median ms |')
    [void] $table.AppendLine('|---|---:|')
    [void] $table.AppendLine(('| no | {0:N0} |' -f $plain))
    [void] $table.AppendLine(('| always | {0:N0} |' -f $always))
    [void] $table.AppendLine()
    [void] $table.AppendLine(('-RestartPolicy always costs {0:+0;-0} ms ({1:N2}×). {2}; PSContainer runtime {3} {4}.' -f ($always - $plain), ($always / $plain), $podmanVersion, $engine.Runtime, $engine.RuntimeVersion))
    $text = $table.ToString()
    Write-Host $text
    New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
    Set-Content -Path $OutFile -Value $text
} finally {
    if (Get-Command Get-Container -ErrorAction Ignore) {
        Get-Container -All -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
    }
    if ($env:CONTAINERS_CONF -eq "$Work/podman/containers.conf") {
        & podman @podmanGlobal rm --all --force --time 0 2>$null | Out-Null
    }
    $env:CONTAINERS_CONF = $savedConf
    Remove-Module PSContainer -ErrorAction Ignore
    foreach ($m in Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($Work) } | Sort-Object Length -Descending) {
        & umount -l $m 2>$null
    }
    # rm, not Remove-Item: podman leaves etc/mtab -> /proc/mounts in the rootfs, which Remove-Item follows.
    & rm -rf $Work
}
