#Requires -Version 7.6
# Volumes, bind and tmpfs mounts, copy-up, Copy-ContainerItem (with hostile symlinks), Get-ContainerChange and
# Export-Container, end to end with real containers in a private store.

BeforeAll {
    if (-not $env:PSCONTAINER_MODULE -or -not (Test-Path -LiteralPath $env:PSCONTAINER_MODULE -PathType Leaf)) {
        throw "PSCONTAINER_MODULE must name the staged module manifest (out/PSContainer/PSContainer.psd1); it is '$env:PSCONTAINER_MODULE'."
    }
    if (-not $env:PSCONTAINER_TEST_ROOTFS -or -not (Test-Path -LiteralPath $env:PSCONTAINER_TEST_ROOTFS -PathType Leaf)) {
        throw "PSCONTAINER_TEST_ROOTFS must name a busybox rootfs tarball (build.ps1 Test makes out/busybox-rootfs.tar.gz); it is '$env:PSCONTAINER_TEST_ROOTFS'."
    }
    if ((& id -u).Trim() -ne '0') { throw 'These tests run real containers and need root.' }

    # A private store, set before the module is imported so that nothing touches the real one.
    $script:Root = '/tmp/psc-pester-volumes-' + [guid]::NewGuid().ToString('N')
    New-Item -ItemType Directory -Path $script:Root | Out-Null
    $env:PSCONTAINER_ROOT = $script:Root
    Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
    Import-Module $env:PSCONTAINER_MODULE -Force -ErrorAction Stop
    $engine = Get-ContainerEngine -ErrorAction Stop
    if ($engine.Root -ne $script:Root) { throw "The engine uses '$($engine.Root)', not the test store '$script:Root'." }
    $script:RunRoot = $engine.RunRoot
    $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]' -ErrorAction Stop
    $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:volume -Change 'CMD ["sh"]', 'VOLUME ["/var/www"]' -ErrorAction Stop

    # Host-side scratch space, and a marker that copies must never reach or leak.
    $script:Work = Join-Path $script:Root 'work'
    New-Item -ItemType Directory -Path $script:Work | Out-Null
    $script:Tag = [guid]::NewGuid().ToString('N').Substring(0, 12)

    function Invoke-Sh([string] $Script, [string[]] $Volume, [object[]] $Mount, [switch] $ReadOnly) {
        $params = @{ Command = 'sh', '-c', $Script; ErrorAction = 'Stop' }
        if ($Volume) { $params.Volume = $Volume }
        if ($Mount) { $params.Mount = $Mount }
        if ($ReadOnly) { $params.ReadOnly = $true }
        Invoke-Container busybox @params
    }

    function Get-UpperPath([string] $Name, [string] $Path) {
        $id = (Get-Container $Name -ErrorAction Stop).Id
        Join-Path $script:Root "containers/$id/upper$Path"
    }
}

AfterAll {
    if (Get-Command Get-Container -ErrorAction Ignore) {
        Get-Container -All -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
    }
    foreach ($path in @($script:Root, $script:RunRoot) | Where-Object { $_ }) {
        Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } |
            Where-Object { $_.StartsWith($path + '/', [StringComparison]::Ordinal) } |
            Sort-Object Length -Descending | ForEach-Object { & umount -l $_ 2>$null }
    }
    if ($script:Root -and $script:Root.StartsWith('/tmp/psc-pester-volumes-') -and (Test-Path $script:Root)) {
        Remove-Item -LiteralPath $script:Root -Recurse -Force -ErrorAction Continue
    }
    if ($script:RunRoot -and $script:RunRoot.StartsWith('/run/pscontainer-') -and (Test-Path $script:RunRoot)) {
        Remove-Item -LiteralPath $script:RunRoot -Recurse -Force -ErrorAction Continue
    }
    Remove-Item Env:PSCONTAINER_ROOT -ErrorAction Ignore
}

Describe 'New-Volume, Get-Volume and Remove-Volume' {
    It 'creates a named volume with labels and lists it' {
        $v = New-Volume vol-a -Label @{ owner = 'qa' } -ErrorAction Stop
        $v | Should -BeOfType ([PSContainer.Engine.Volumes.VolumeInfo])
        $v.Name | Should -Be 'vol-a'
        $v.Driver | Should -Be 'local'
        $v.Mountpoint | Should -Be (Join-Path $script:Root 'volumes/vol-a/_data')
        Test-Path -LiteralPath $v.Mountpoint -PathType Container | Should -BeTrue
        $v.Labels['owner'] | Should -Be 'qa'
        ([DateTimeOffset]::UtcNow - $v.Created).TotalMinutes | Should -BeLessThan 1
        (Get-Volume vol-* -ErrorAction Stop).Name | Should -Contain 'vol-a'
        (Get-Volume -Label owner=qa).Name | Should -Be 'vol-a'
    }

    It 'generates a 64-hex name when none is given' {
        $v = New-Volume -ErrorAction Stop
        $v.Name | Should -Match '^[0-9a-f]{64}$'
        Remove-Volume $v.Name -ErrorAction Stop
    }

    It 'returns an existing volume unchanged' {
        (New-Volume vol-a -ErrorAction Stop).Labels['owner'] | Should -Be 'qa'
    }

    It 'refuses names outside Docker''s rules' {
        { New-Volume 'bad/name' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidVolumeName,PSContainer.Commands.Volumes.NewVolumeCommand'
        { New-Volume '.hidden' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidVolumeName,PSContainer.Commands.Volumes.NewVolumeCommand'
    }

    It 'reports an unknown volume' {
        { Get-Volume no-such-volume -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeNotFound,PSContainer.Commands.Volumes.GetVolumeCommand'
        { Remove-Volume no-such-volume -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeNotFound,PSContainer.Commands.Volumes.RemoveVolumeCommand'
    }

    It 'computes sizes on demand' {
        Invoke-Sh 'head -c 100000 /dev/zero > /data/blob' -Volume 'vol-size:/data'
        (Get-Volume vol-size).Size | Should -BeNullOrEmpty
        (Get-Volume vol-size -Size).Size | Should -Be 100000
    }

    It 'refuses to remove a volume in use unless forced, and lists users and dangling volumes' {
        $c = New-Container busybox -Name vol-user -Volume vol-used:/data -Command true -ErrorAction Stop
        (Get-Volume vol-used).UsedBy | Should -Be @('vol-user')
        (Get-Volume -Dangling).Name | Should -Not -Contain 'vol-used'
        { Remove-Volume vol-used -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeInUse,PSContainer.Commands.Volumes.RemoveVolumeCommand'
        Remove-Volume vol-used -Force -ErrorAction Stop
        Get-Volume vol-used -ErrorAction Ignore | Should -BeNullOrEmpty
        $c | Remove-Container -ErrorAction Stop
    }

    It 'prunes every unused volume with -Unused -All' {
        New-Volume vol-prune-1 -ErrorAction Stop | Out-Null
        $c = New-Container busybox -Name vol-keeper -Volume vol-kept:/data -Command true -ErrorAction Stop
        (Get-Volume -Dangling).Name | Should -Contain 'vol-prune-1'
        Remove-Volume -Unused -All -Force -ErrorAction Stop
        Get-Volume vol-prune-1 -ErrorAction Ignore | Should -BeNullOrEmpty
        (Get-Volume vol-kept -ErrorAction Stop).UsedBy | Should -Be @('vol-keeper')
        $c | Remove-Container -ErrorAction Stop
    }

    It 'removes volumes piped from Get-Volume' {
        New-Volume vol-pipe-1 -ErrorAction Stop | Out-Null
        Get-Volume vol-pipe-* | Remove-Volume -ErrorAction Stop
        Get-Volume vol-pipe-* | Should -BeNullOrEmpty
    }
}

Describe 'Mounting volumes' {
    It 'keeps data written to a volume after the container is removed, for the next container' {
        Invoke-Sh 'echo persisted > /data/note' -Volume 'vol-persist:/data'
        Get-Container -All | Where-Object { $_.Mounts.Source -contains 'vol-persist' } | Should -BeNullOrEmpty
        Invoke-Sh 'cat /data/note' -Volume 'vol-persist:/data' | Should -Be 'persisted'
        Get-Content (Join-Path (Get-Volume vol-persist).Mountpoint 'note') | Should -Be 'persisted'
    }

    It 'creates a named volume on first use' {
        Get-Volume vol-auto -ErrorAction Ignore | Should -BeNullOrEmpty
        Invoke-Sh 'true' -Mount 'type=volume,source=vol-auto,target=/auto'
        (Get-Volume vol-auto -ErrorAction Stop).Anonymous | Should -BeFalse
    }

    It 'fills an empty volume from the image once' {
        Invoke-Sh 'cat /etc/passwd | head -n 1; rm -f /etc/passwd /etc/group' -Volume 'vol-copyup:/etc' | Should -Be 'root:x:0:0:root:/root:/bin/sh'
        $data = (Get-Volume vol-copyup).Mountpoint
        Test-Path (Join-Path $data 'passwd') | Should -BeFalse
        # Emptied by the container, yet not filled again.
        Invoke-Sh 'ls /etc' -Volume 'vol-copyup:/etc' | Should -Not -Contain 'passwd'
        Test-Path (Join-Path $data 'passwd') | Should -BeFalse
    }

    It 'does not fill a volume mounted with nocopy' {
        Invoke-Sh 'ls /etc' -Volume 'vol-nocopy:/etc:nocopy' | Should -Not -Contain 'passwd'
    }

    It 'enforces :ro' {
        Invoke-Sh 'echo x > /data/seed' -Volume 'vol-ro:/data'
        Invoke-Sh 'cat /data/seed; (echo y > /data/other) 2>/dev/null && echo writable || echo read-only' -Volume 'vol-ro:/data:ro' |
            Should -Be @('x', 'read-only')
        Test-Path (Join-Path (Get-Volume vol-ro).Mountpoint 'other') | Should -BeFalse
    }

    It 'enforces readonly in the -Mount forms' {
        Invoke-Sh '(echo y > /data/other) 2>/dev/null && echo writable || echo read-only' -Mount @{ Type = 'volume'; Source = 'vol-ro'; Target = '/data'; ReadOnly = $true } |
            Should -Be 'read-only'
        Invoke-Sh '(echo y > /data/other) 2>/dev/null && echo writable || echo read-only' -Mount 'type=volume,source=vol-ro,target=/data,readonly' |
            Should -Be 'read-only'
    }

    It 'bind-mounts host directories read-write and read-only' {
        $dir = Join-Path $script:Work 'bind'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Set-Content (Join-Path $dir 'from-host') 'hello'
        Invoke-Sh 'cat /mnt/from-host; echo back > /mnt/from-container' -Volume "${dir}:/mnt" | Should -Be 'hello'
        Get-Content (Join-Path $dir 'from-container') | Should -Be 'back'
        Invoke-Sh '(echo y > /mnt/x) 2>/dev/null && echo writable || echo read-only' -Volume "${dir}:/mnt:ro" | Should -Be 'read-only'
    }

    It 'refuses a bind mount of a missing host path with BindSourceNotFound' {
        $missing = Join-Path $script:Work 'does-not-exist'
        { New-Container busybox -Volume "${missing}:/data" -ErrorAction Stop } |
            Should -Throw -ErrorId 'BindSourceNotFound,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -Mount @{ Type = 'bind'; Source = $missing; Target = '/data' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'BindSourceNotFound,PSContainer.Commands.Containers.NewContainerCommand'
        Get-Container -All | Where-Object { $_.Mounts.Source -contains $missing } | Should -BeNullOrEmpty
    }

    It 'refuses bad destinations' {
        { New-Container busybox -Volume 'vol-x:data' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMountDestination,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -Volume 'vol-x:/a/../../etc' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMountDestination,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -Mount 'type=volume,source=vol-x' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMount,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -Volume 'vol-x:/data', 'vol-y:/data' -ErrorAction Stop } | Should -Throw -ErrorId 'DuplicateMountDestination,PSContainer.Commands.Containers.NewContainerCommand'
    }

    It 'mounts a tmpfs with a size' {
        Invoke-Sh "df -k /scratch | tail -n 1 | awk '{ print `$2 }'" -Mount @{ Type = 'tmpfs'; Target = '/scratch'; TmpfsSize = 8MB } | Should -Be '8192'
    }

    It 'keeps -ReadOnly working with volumes' {
        Invoke-Sh 'echo ok > /data/f; echo tmp > /tmp/t; cat /data/f /tmp/t; (touch /etc/x) 2>/dev/null && echo root-writable || echo root-read-only' -Volume 'vol-rootro:/data' -ReadOnly |
            Should -Be @('ok', 'tmp', 'root-read-only')
    }

    It 'lets a volume replace the read-only scratch tmpfs' {
        Invoke-Sh 'echo kept > /tmp/f' -Volume 'vol-tmp:/tmp' -ReadOnly
        Get-Content (Join-Path (Get-Volume vol-tmp).Mountpoint 'f') | Should -Be 'kept'
    }
}

Describe 'Anonymous volumes' {
    It 'gives an image VOLUME an anonymous volume, removed with Remove-Container -Volumes' {
        $c = New-Container busybox:volume -Name anon-1 -Command true -ErrorAction Stop
        $mount = $c.Mounts | Where-Object Destination -eq '/var/www'
        $mount.Type | Should -Be 'Volume'
        $mount.Source | Should -Match '^[0-9a-f]{64}$'
        (Get-Volume $mount.Source).Anonymous | Should -BeTrue
        $c | Remove-Container -ErrorAction Stop
        Get-Volume $mount.Source -ErrorAction Ignore | Should -Not -BeNullOrEmpty
        Remove-Volume $mount.Source -ErrorAction Stop

        $c = New-Container busybox:volume -Name anon-2 -Command true -ErrorAction Stop
        $name = ($c.Mounts | Where-Object Destination -eq '/var/www').Source
        $c | Remove-Container -Volumes -ErrorAction Stop
        Get-Volume $name -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'lets -Volume cover an image VOLUME' {
        $c = New-Container busybox:volume -Name anon-3 -Volume vol-www:/var/www -Command true -ErrorAction Stop
        @($c.Mounts).Count | Should -Be 1
        $c.Mounts[0].Source | Should -Be 'vol-www'
        $c | Remove-Container -Volumes -ErrorAction Stop
        Get-Volume vol-www -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It 'removes anonymous volumes of an -AutoRemove container when it exits' {
        $c = New-Container busybox:volume -AutoRemove -Volume /scratch -Command sh, -c, 'echo x > /scratch/x' -ErrorAction Stop
        $names = $c.Mounts.Source
        $names.Count | Should -Be 2
        $c | Start-Container -ErrorAction Stop
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((Get-Container -All | Where-Object Id -eq $c.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-Container -All | Where-Object Id -eq $c.Id | Should -BeNullOrEmpty
        foreach ($name in $names) { Get-Volume $name -ErrorAction Ignore | Should -BeNullOrEmpty }
    }
}

Describe 'Copy-ContainerItem' {
    BeforeAll {
        # /evil -> /, /etc/x and /etc/y -> /root, /etc/shadow-link -> /etc/shadow: each aims at the host if followed there.
        $script:Hostile = New-Container busybox -Name hostile -Volume vol-cp:/data -Command sh, -c, 'ln -s / /evil; ln -s /root /etc/x; ln -s /root /etc/y; mkdir -p /root; echo container-root > /root/note; ln -s /etc/shadow /etc/shadow-link; echo in-container > /etc/marker' -ErrorAction Stop
        $script:Hostile | Start-Container -ErrorAction Stop
        $null = Wait-Container hostile -ErrorAction Stop
        # A host file the container must never be able to read through its links.
        $script:HostSecret = "/tmp/psc-host-secret-$script:Tag"
        Set-Content -LiteralPath $script:HostSecret 'HOST SECRET'
    }

    AfterAll {
        Remove-Item -LiteralPath $script:HostSecret -ErrorAction Ignore
        Remove-Item -LiteralPath "/tmp/planted-$script:Tag", "/root/planted-$script:Tag", "/root/owned-$script:Tag" -Recurse -ErrorAction Ignore
    }

    It 'copies a file out of a stopped container' {
        Copy-ContainerItem -Path hostile:/etc/marker -Destination (Join-Path $script:Work 'marker') -ErrorAction Stop
        Get-Content (Join-Path $script:Work 'marker') | Should -Be 'in-container'
    }

    It 'copies with the -Container form both ways' {
        Copy-ContainerItem -Container hostile -Path /etc/marker -Destination (Join-Path $script:Work 'marker2') -ErrorAction Stop
        Get-Content (Join-Path $script:Work 'marker2') | Should -Be 'in-container'
        Set-Content (Join-Path $script:Work 'to-container') 'pushed'
        Get-Container hostile | Copy-ContainerItem -Path (Join-Path $script:Work 'to-container') -Destination /etc/pushed -ToContainer -ErrorAction Stop
        Get-Content (Get-UpperPath hostile '/etc/pushed') | Should -Be 'pushed'
    }

    It 'keeps modes, owners and symlinks going in' {
        $dir = Join-Path $script:Work 'tree'
        New-Item -ItemType Directory -Path "$dir/sub" -Force | Out-Null
        Set-Content "$dir/sub/script" 'echo hi'
        & chown 1000:50 "$dir/sub/script"
        & chmod 4751 "$dir/sub/script"
        & ln -s sub/script "$dir/link"
        Copy-ContainerItem -Path $dir -Destination hostile:/home -ErrorAction Stop
        $copied = Get-UpperPath hostile '/home/tree'
        (& stat -c '%a %u %g' "$copied/sub/script") | Should -Be '4751 1000 50'
        (Get-Item "$copied/link").LinkTarget | Should -Be 'sub/script'
    }

    It 'copies out through a volume mount' {
        Set-Content (Join-Path (Get-Volume vol-cp).Mountpoint 'in-volume') 'volume data'
        Copy-ContainerItem -Path hostile:/data/in-volume -Destination (Join-Path $script:Work 'in-volume') -ErrorAction Stop
        Get-Content (Join-Path $script:Work 'in-volume') | Should -Be 'volume data'
        Copy-ContainerItem -Path (Join-Path $script:Work 'marker') -Destination hostile:/data/ -ErrorAction Stop
        Get-Content (Join-Path (Get-Volume vol-cp).Mountpoint 'marker') | Should -Be 'in-container'
    }

    It 'writes nothing outside the container through /evil -> /' {
        $file = Join-Path $script:Work "planted-$script:Tag"
        Set-Content $file 'planted'
        Copy-ContainerItem -Path $file -Destination "hostile:/evil/tmp/" -ErrorAction Stop
        Test-Path "/tmp/planted-$script:Tag" | Should -BeFalse
        Get-Content (Get-UpperPath hostile "/tmp/planted-$script:Tag") | Should -Be 'planted'
    }

    It 'writes nothing outside the container through /etc/x -> /root' {
        $file = Join-Path $script:Work "planted-$script:Tag"
        Copy-ContainerItem -Path $file -Destination 'hostile:/etc/x/' -ErrorAction Stop
        Test-Path "/root/planted-$script:Tag" | Should -BeFalse
        Get-Content (Get-UpperPath hostile "/root/planted-$script:Tag") | Should -Be 'planted'
    }

    It 'replaces a planted symlink instead of writing through it' {
        $payload = Join-Path $script:Work 'payload'
        New-Item -ItemType Directory -Path "$payload/y" -Force | Out-Null
        Set-Content "$payload/y/owned-$script:Tag" 'owned'
        Copy-ContainerItem -Path "$payload/." -Destination 'hostile:/etc' -ErrorAction Stop
        Test-Path "/root/owned-$script:Tag" | Should -BeFalse
        (Get-Item (Get-UpperPath hostile '/etc/y')).LinkType | Should -BeNullOrEmpty
        Get-Content (Get-UpperPath hostile "/etc/y/owned-$script:Tag") | Should -Be 'owned'
    }

    It 'reads nothing from the host through the container''s links' {
        { Copy-ContainerItem -Path "hostile:/evil$script:HostSecret" -Destination (Join-Path $script:Work 'leak1') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CopySourceNotFound,PSContainer.Commands.Containers.CopyContainerItemCommand'
        Test-Path (Join-Path $script:Work 'leak1') | Should -BeFalse

        # The container's /etc/x is its own /root, not the host's.
        Copy-ContainerItem -Path 'hostile:/etc/x/note' -Destination (Join-Path $script:Work 'note') -ErrorAction Stop
        Get-Content (Join-Path $script:Work 'note') | Should -Be 'container-root'

        # A link is copied as a link; its target is never read.
        Copy-ContainerItem -Path 'hostile:/etc/shadow-link' -Destination (Join-Path $script:Work 'shadow') -ErrorAction Stop
        (Get-Item (Join-Path $script:Work 'shadow')).LinkTarget | Should -Be '/etc/shadow'
        Copy-ContainerItem -Path 'hostile:/evil' -Destination (Join-Path $script:Work 'evil') -ErrorAction Stop
        (Get-Item (Join-Path $script:Work 'evil')).LinkTarget | Should -Be '/'

        # Following a link follows it inside the container: /evil/ is the container's root.
        Copy-ContainerItem -Path 'hostile:/evil/etc/shadow-link' -Destination (Join-Path $script:Work 'shadow2') -FollowSymlink -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $script:Work 'shadow2') | Should -BeFalse
    }

    It 'copies a directory out with its links as links' {
        $out = Join-Path $script:Work 'etc-out'
        Copy-ContainerItem -Path 'hostile:/etc' -Destination $out -ErrorAction Stop
        Get-Content "$out/marker" | Should -Be 'in-container'
        (Get-Item "$out/x").LinkTarget | Should -Be '/root'
        (Get-Item "$out/shadow-link").LinkTarget | Should -Be '/etc/shadow'
        Get-ChildItem $out -Recurse -Force | Where-Object { $_.Name -eq (Split-Path $script:HostSecret -Leaf) } | Should -BeNullOrEmpty
    }

    It 'copies both ways while the container runs, with hostile links' {
        $c = New-Container busybox -Name cp-running -Command sh, -c, 'ln -s / /evil; ln -s /root /etc/x; echo running > /etc/state; sleep 300' -ErrorAction Stop
        $c | Start-Container -ErrorAction Stop
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (-not (Test-Path (Get-UpperPath cp-running '/etc/state')) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Copy-ContainerItem -Path cp-running:/etc/state -Destination (Join-Path $script:Work 'state') -ErrorAction Stop
        Get-Content (Join-Path $script:Work 'state') | Should -Be 'running'
        Copy-ContainerItem -Path (Join-Path $script:Work "planted-$script:Tag") -Destination 'cp-running:/evil/etc/x/' -ErrorAction Stop
        Test-Path "/root/planted-$script:Tag" | Should -BeFalse
        Invoke-Container busybox -Command true -ErrorAction Stop # the store stays usable
        (Get-Container cp-running).Status | Should -Be 'Running'
        Get-Content (Get-UpperPath cp-running "/root/planted-$script:Tag") | Should -Be 'planted'
        $c | Remove-Container -Force -ErrorAction Stop
    }

    It 'refuses to copy into a read-only volume or root' {
        $c = New-Container busybox -Name cp-ro -ReadOnly -Volume vol-cp:/ro:ro -Command true -ErrorAction Stop
        { Copy-ContainerItem -Path (Join-Path $script:Work 'marker') -Destination 'cp-ro:/ro/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CopyToReadOnly,PSContainer.Commands.Containers.CopyContainerItemCommand'
        { Copy-ContainerItem -Path (Join-Path $script:Work 'marker') -Destination 'cp-ro:/etc/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CopyToReadOnly,PSContainer.Commands.Containers.CopyContainerItemCommand'
        $c | Remove-Container -ErrorAction Stop
    }

    It 'needs exactly one container side' {
        { Copy-ContainerItem -Path ./a -Destination ./b -ErrorAction Stop } | Should -Throw -ErrorId 'CopyNeedsContainer,PSContainer.Commands.Containers.CopyContainerItemCommand'
        { Copy-ContainerItem -Path hostile:/a -Destination hostile:/b -ErrorAction Stop } | Should -Throw -ErrorId 'CopyBetweenContainers,PSContainer.Commands.Containers.CopyContainerItemCommand'
    }
}

Describe 'Get-ContainerChange' {
    It 'lists added, changed and deleted paths' {
        $c = New-Container busybox -Name diff-1 -Volume vol-diff:/data -Command sh, -c, 'mkdir /newdir; echo a > /newdir/file; echo more >> /etc/passwd; rm /bin/vi; echo v > /data/v' -ErrorAction Stop
        $c | Start-Container -ErrorAction Stop
        $null = Wait-Container diff-1 -ErrorAction Stop
        $changes = Get-ContainerChange diff-1 -ErrorAction Stop
        $changes | Should -BeOfType ([PSContainer.Engine.Containers.ContainerChange])
        $lines = $changes | ForEach-Object ToString
        $lines | Should -Contain 'A /newdir'
        $lines | Should -Contain 'A /newdir/file'
        $lines | Should -Contain 'C /etc/passwd'
        $lines | Should -Contain 'C /etc'
        $lines | Should -Contain 'D /bin/vi'
        # Mount points the runtime made are not the container's changes.
        $lines | Should -Not -Contain 'A /data'
        $lines | Should -Not -Contain 'A /etc/hosts'
        (Get-ContainerChange diff-1 -Kind Deleted).Path | Should -Be @('/bin/vi')
        $c | Remove-Container -ErrorAction Stop
    }
}

Describe 'Export-Container' {
    It 'writes the merged file system as a tar' {
        $c = New-Container busybox -Name export-1 -Volume vol-export:/data -Command sh, -c, 'echo exported > /exported.txt; rm /bin/vi; echo v > /data/in-volume' -ErrorAction Stop
        $c | Start-Container -ErrorAction Stop
        $null = Wait-Container export-1 -ErrorAction Stop
        $tar = Join-Path $script:Work 'export-1.tar'
        Export-Container export-1 -Path $tar -ErrorAction Stop
        $entries = & tar -tf $tar
        $LASTEXITCODE | Should -Be 0
        $entries | Should -Contain 'exported.txt'
        $entries | Should -Contain 'bin/busybox'
        $entries | Should -Contain 'etc/passwd'
        $entries | Should -Not -Contain 'bin/vi'
        $entries | Should -Not -Contain 'data/in-volume'
        (& tar -xOf $tar exported.txt) | Should -Be 'exported'
        (& tar -tvf $tar bin/sh) | Should -Match '^l'
        $c | Remove-Container -ErrorAction Stop
    }

    It 'exports a running container' {
        $c = New-Container busybox -Name export-2 -Command sh, -c, 'echo live > /live; sleep 300' -ErrorAction Stop
        $c | Start-Container -ErrorAction Stop
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (-not (Test-Path (Get-UpperPath export-2 '/live')) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $tar = Join-Path $script:Work 'export-2.tar'
        Get-Container export-2 | Export-Container -Path $tar -ErrorAction Stop
        (& tar -xOf $tar live) | Should -Be 'live'
        (Get-Container export-2).Status | Should -Be 'Running'
        $c | Remove-Container -Force -ErrorAction Stop
    }
}
