#Requires -Version 7.6
# Build-Image (real builds: multi-stage, --chown, whiteouts, ONBUILD, cache, failures and their cleanup, a killed
# build), compared with buildah bud on the same context; Get-ImageHistory and ConvertTo-Image.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore
    $script:RunRoot = (Get-ContainerEngine -ErrorAction Stop).RunRoot
    $script:Work = Join-Path $script:Root 'work'
    New-Item -ItemType Directory -Path $script:Work | Out-Null

    # A context directory with the given files (relative path => content); 'Dockerfile' among them.
    function New-Context([string] $Name, [hashtable] $Files) {
        $dir = Join-Path $script:Work $Name
        foreach ($key in $Files.Keys) {
            $path = Join-Path $dir $key
            New-Item -ItemType Directory -Force -Path (Split-Path $path) | Out-Null
            [IO.File]::WriteAllText($path, $Files[$key])
        }
        $dir
    }

    # One line per path under a directory: type, mode, owner, size, link count, link target and content hash.
    function Get-Tree([string] $Dir) {
        $lines = & find $Dir -mindepth 1 -printf '%P|%y|%m|%U:%G|%l|%n\n'
        foreach ($line in $lines) {
            $parts = $line -split '\|'
            $hash = if ($parts[1] -eq 'f') { (& sha256sum -- (Join-Path $Dir $parts[0])).Split(' ')[0] } else { '' }
            # A directory's link count says how many subdirectories it has; that is in the tree already.
            $links = if ($parts[1] -eq 'd') { '' } else { $parts[5] }
            '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $parts[0], $parts[1], $parts[2], $parts[3], $parts[4], $links, $hash
        }
    }

    # The flattened file tree of a PSContainer image, through Export-Container.
    function Get-ImageTree([string] $Image) {
        $container = New-Container $Image -Command true -ErrorAction Stop
        $tar = Join-Path $script:Work "$($container.Name).tar"
        $dir = Join-Path $script:Work "$($container.Name)-tree"
        Export-Container -Name $container.Name -Path $tar -ErrorAction Stop
        Remove-Container -Name $container.Name -ErrorAction Stop
        New-Item -ItemType Directory -Path $dir | Out-Null
        & tar --numeric-owner -xpf $tar -C $dir
        Get-Tree $dir
    }

    # A config value as JSON with its keys sorted; an empty string, list or map counts as absent.
    function ConvertTo-CanonicalJson($Value) {
        if ($Value -is [string] -and $Value.Length -eq 0) { return 'null' }
        if ($Value -is [Collections.ICollection] -and $Value.Count -eq 0) { return 'null' }
        if ($Value -is [Collections.IDictionary]) {
            $sorted = [ordered]@{}
            foreach ($key in ($Value.Keys | Sort-Object)) { $sorted[$key] = $Value[$key] }
            $Value = $sorted
        }
        ConvertTo-Json -InputObject $Value -Depth 5 -Compress
    }

    # Builds a context with Build-Image and with buildah bud --layers --format docker (on the same busybox
    # base, given as the BASE build arg) and compares the flattened trees and the run configs.
    function Assert-SameAsBuildah([string] $Context, [string] $Tag) {
        $buildah = Get-Command buildah -ErrorAction Stop
        $ours = Build-Image $Context -Tag $Tag -Quiet -ErrorAction Stop
        $archive = Join-Path $script:Work 'busybox-oci.tar'
        if (-not (Test-Path $archive)) { Export-Image busybox:latest -Path $archive -Format OciArchive -ErrorAction Stop }
        $storage = @('--root', (Join-Path $script:Work 'buildah-root'), '--runroot', (Join-Path $script:Work 'buildah-run'), '--storage-driver', 'overlay')
        $runc = (Get-Command runc -ErrorAction Stop).Source
        $output = & $buildah.Source @storage bud --runtime $runc --layers --format docker --build-arg "BASE=oci-archive:$archive" -t $Tag $Context 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $container = (& $buildah.Source @storage from $Tag).Trim()
        try {
            $mount = (& $buildah.Source @storage mount $container).Trim()
            $theirs = Get-Tree $mount
            $inspect = (& $buildah.Source @storage inspect --type image $Tag) | ConvertFrom-Json
        } finally {
            & $buildah.Source @storage umount $container | Out-Null
            & $buildah.Source @storage rm $container | Out-Null
        }
        $mine = Get-ImageTree $Tag
        # buildah's RUN leaves the mount points of /etc/hosts and friends behind; they are no content.
        $runtimeStubs = '^(etc/hosts|etc/hostname|etc/resolv\.conf|run|run/.*|proc|sys|dev)\|'
        $theirs = @($theirs | Where-Object { $_ -notmatch $runtimeStubs })
        $mine = @($mine | Where-Object { $_ -notmatch $runtimeStubs })
        # <= only buildah's, => only ours.
        Compare-Object $theirs $mine | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" } | Should -BeNullOrEmpty

        $config = (Get-Content -Raw -LiteralPath (Join-Path $script:Root "blobs/sha256/$($ours.Id.Substring(7))") | ConvertFrom-Json -AsHashtable).config
        $theirConfig = $inspect.Docker.config | ConvertTo-Json -Depth 5 | ConvertFrom-Json -AsHashtable
        # buildah stamps its version as a label.
        if ($theirConfig.Labels) { $theirConfig.Labels.Remove('io.buildah.version') }
        foreach ($field in 'Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Volumes', 'Labels', 'StopSignal', 'Healthcheck', 'Shell', 'OnBuild') {
            $a = ConvertTo-CanonicalJson $theirConfig[$field]
            $b = ConvertTo-CanonicalJson $config[$field]
            $b | Should -Be $a -Because "$field of the config"
        }
    }

    function Get-BuildLeftover {
        @(Get-StoreMount -Under $script:Root) +
        @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'tmp') -Force -ErrorAction Ignore | Where-Object Name -like 'build-*' | ForEach-Object FullName) +
        @(Get-ChildItem -LiteralPath (Join-Path $script:RunRoot 'runtime') -Directory -Recurse -ErrorAction Ignore | Where-Object Name -like '*-transient-*' | ForEach-Object FullName)
    }
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Build-Image' {
    It 'builds only the stages the target needs, with COPY --from, --chown by name, --chmod and whiteouts' {
        $context = New-Context 'multi' @{
            'Dockerfile'       = @'
# syntax=docker/dockerfile:1
ARG BASE=busybox
FROM ${BASE} AS build
ARG GREETING="hello"
ENV OUT=/out
WORKDIR $OUT
COPY src/ ./src/
RUN echo "$GREETING from build" > message \
 && rm -rf /home /bin/vi \
 && mkdir /var/cache-dir && touch /var/cache-dir/x
RUN rm -rf /var/cache-dir

FROM busybox AS unused
RUN exit 1

FROM ${BASE}
COPY --from=build --chown=www:staff /out/ /app/
COPY --chmod=700 src/tool.sh /usr/local/bin/tool
USER www
CMD ["cat", "/app/message"]
'@
            'src/tool.sh'      = "#!/bin/sh`necho tool`n"
            'src/data/one.txt' = 'one'
        }
        $info = @()
        $image = Build-Image $context -Tag multi:1 -BuildArg @{ GREETING = 'hi' } -InformationVariable info -ErrorAction Stop 6>$null
        $image | Should -BeOfType ([PSContainer.Engine.Images.ImageInfo])
        $image.Name | Should -Be 'multi:1'
        $image.User | Should -Be 'www'
        ($info | ForEach-Object { "$_" }) | Should -Contain 'STEP 1/12: FROM busybox AS build'
        ($info | ForEach-Object { "$_" }) -join "`n" | Should -Not -Match 'unused'

        (Invoke-Container multi:1 -ErrorAction Stop) | Should -Be 'hi from build'
        $tree = Get-ImageTree multi:1
        ($tree | Where-Object { $_ -like 'app/message|*' }) | Should -Match '^app/message\|f\|644\|1000:50\|\|1\|'
        ($tree | Where-Object { $_ -like 'app/src/data/one.txt|*' }) | Should -Match '^app/src/data/one.txt\|f\|644\|1000:50\|'
        ($tree | Where-Object { $_ -like 'usr/local/bin/tool|*' }) | Should -Match '\|f\|700\|0:0\|'
        # The build stage's deletions stay in its own image; this one starts from busybox again.
        ($tree | Where-Object { $_ -like 'bin/vi|*' }) | Should -Not -BeNullOrEmpty

        $build = Build-Image $context -Target build -Tag multi:build -BuildArg @{ GREETING = 'hi' } -Quiet -ErrorAction Stop
        $buildTree = Get-ImageTree multi:build
        ($buildTree | Where-Object { $_ -like 'bin/vi|*' }) | Should -BeNullOrEmpty
        ($buildTree | Where-Object { $_ -like 'home|*' }) | Should -BeNullOrEmpty
        ($buildTree | Where-Object { $_ -like 'var/cache-dir*' }) | Should -BeNullOrEmpty
        $build.Environment | Should -Contain 'OUT=/out'
        $build.WorkingDirectory | Should -Be '/out'
    }

    It 'reuses every step of an unchanged build, and reruns from a changed COPY on' {
        $context = New-Context 'cache' @{
            'Dockerfile' = "FROM busybox`nCOPY a.txt /a.txt`nRUN cat /a.txt > /copy.txt`nCOPY b.txt /b.txt`nRUN cat /b.txt > /copy-b.txt`nLABEL x=y`n"
            'a.txt'      = 'a'
            'b.txt'      = 'b'
        }
        $first = Build-Image $context -Tag cached:1 -Quiet -ErrorAction Stop
        $info = @()
        (Get-Item (Join-Path $context 'a.txt')).LastWriteTime = [datetime]'2001-01-01'
        $again = Build-Image $context -Tag cached:1 -InformationVariable info -ErrorAction Stop 6>$null
        $again.Id | Should -Be $first.Id
        @($info | Where-Object { "$_" -like '--> Using cache*' }).Count | Should -Be 5

        [IO.File]::WriteAllText((Join-Path $context 'b.txt'), 'B')
        $info = @()
        $changed = Build-Image $context -Tag cached:2 -InformationVariable info -ErrorAction Stop 6>$null
        $changed.Id | Should -Not -Be $first.Id
        @($info | Where-Object { "$_" -like '--> Using cache*' }).Count | Should -Be 2
        (Invoke-Container cached:2 -Command cat, /copy-b.txt -ErrorAction Stop) | Should -Be 'B'

        $info = @()
        $null = Build-Image $context -Tag cached:3 -NoCache -InformationVariable info -ErrorAction Stop 6>$null
        @($info | Where-Object { "$_" -like '--> Using cache*' }).Count | Should -Be 0
    }

    It 'runs ONBUILD triggers at the start of a child build and records the metadata instructions' {
        $parent = New-Context 'onbuild-parent' @{
            'Dockerfile' = "FROM busybox`nONBUILD COPY marker.txt /marker.txt`nONBUILD RUN echo triggered > /triggered`nHEALTHCHECK --interval=5s --retries=2 CMD wget -q localhost || exit 1`nSTOPSIGNAL SIGINT`nSHELL [`"/bin/sh`", `"-ec`"]`nENTRYPOINT [`"/bin/sh`"]`n"
        }
        $null = Build-Image $parent -Tag onbuild:parent -Quiet -ErrorAction Stop
        $child = New-Context 'onbuild-child' @{ 'Dockerfile' = "FROM onbuild:parent`nCMD [`"-c`", `"cat /marker.txt /triggered`"]`n"; 'marker.txt' = "marker`n" }
        $image = Build-Image $child -Tag onbuild:child -Quiet -ErrorAction Stop
        (Invoke-Container onbuild:child -ErrorAction Stop) | Should -Be @('marker', 'triggered')

        $config = Get-Content -Raw -LiteralPath (Join-Path $script:Root "blobs/sha256/$($image.Id.Substring(7))") | ConvertFrom-Json
        $config.config.OnBuild | Should -BeNullOrEmpty
        $config.config.Healthcheck.Test | Should -Be @('CMD-SHELL', 'wget -q localhost || exit 1')
        $config.config.Healthcheck.Interval | Should -Be 5000000000
        $config.config.Healthcheck.Retries | Should -Be 2
        $config.config.StopSignal | Should -Be 'SIGINT'
        $config.config.Shell | Should -Be @('/bin/sh', '-ec')
        $parentConfig = Get-Content -Raw -LiteralPath (Join-Path $script:Root "blobs/sha256/$((Get-Image onbuild:parent).Id.Substring(7))") | ConvertFrom-Json
        $parentConfig.config.OnBuild | Should -Be @('COPY marker.txt /marker.txt', 'RUN echo triggered > /triggered')
        $history = @(Get-ImageHistory onbuild:child -ErrorAction Stop)
        $history[0].Id | Should -Be $image.Id
        $history[0].CreatedBy | Should -BeLike 'CMD*'
        $history[0].EmptyLayer | Should -BeTrue
        @($history | Where-Object { -not $_.EmptyLayer }).Count | Should -Be $image.LayerCount
    }

    It 'mounts secrets and caches for one RUN only' {
        $secret = Join-Path $script:Work 'token.txt'
        [IO.File]::WriteAllText($secret, 's3cret')
        $context = New-Context 'mounts' @{
            'Dockerfile' = "FROM busybox`nRUN --mount=type=secret,id=token cat /run/secrets/token > /seen && echo x >> /seen`nRUN --mount=type=cache,target=/cache echo more >> /cache/log && cat /cache/log | wc -l > /count`n"
        }
        $null = Build-Image $context -Tag mounts:1 -Secret "id=token,src=$secret" -Quiet -ErrorAction Stop
        (Invoke-Container mounts:1 -Command cat, /seen -ErrorAction Stop) | Should -Be @('s3cretx')
        $tree = Get-ImageTree mounts:1
        ($tree | Where-Object { $_ -like 'run/secrets*' -or $_ -like 'cache*' }) | Should -BeNullOrEmpty
        $null = Build-Image $context -Tag mounts:2 -Secret "id=token,src=$secret" -NoCache -Quiet -ErrorAction Stop
        (Invoke-Container mounts:2 -Command cat, /count -ErrorAction Stop).Trim() | Should -Be '2'
    }

    It 'unpacks local archives (gzip, bzip2, xz, zstd) with ADD and fetches a URL checked by --checksum' {
        $payload = New-Context 'payload' @{ 'inner/p.txt' = "packed`n" }
        $context = New-Context 'add' @{ 'plain.txt' = "not an archive`n" }
        & tar -C $payload -czf (Join-Path $context 'a.tar.gz') inner
        & tar -C $payload -cjf (Join-Path $context 'b.tar.bz2') inner
        & tar -C $payload -cJf (Join-Path $context 'c.tar.xz') inner
        & tar -C $payload --zstd -cf (Join-Path $context 'd.tar.zst') inner
        $bytes = [Text.Encoding]::UTF8.GetBytes("served`n")
        $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $listener = [Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $server = Start-ThreadJob -ArgumentList $listener, $bytes -ScriptBlock {
            param($l, $body)
            while ($l.IsListening) {
                try { $request = $l.GetContext() } catch { break }
                $request.Response.ContentLength64 = $body.Length
                $request.Response.OutputStream.Write($body, 0, $body.Length)
                $request.Response.Close()
            }
        }
        try {
            [IO.File]::WriteAllText((Join-Path $context 'Dockerfile'), @"
FROM busybox
ADD a.tar.gz /gz/
ADD b.tar.bz2 /bz2/
ADD c.tar.xz /xz/
ADD d.tar.zst /zst/
ADD plain.txt /plain/
ADD --checksum=sha256:$hash http://127.0.0.1:$port/files/served.txt /web/
"@)
            $null = Build-Image $context -Tag add:1 -Quiet -ErrorAction Stop
            [IO.File]::WriteAllText((Join-Path $context 'Dockerfile'), "FROM busybox`nADD --checksum=sha256:$('0' * 64) http://127.0.0.1:$port/x /x`n")
            $err = $null
            Build-Image $context -Quiet -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BuildChecksumMismatch*'
        } finally {
            $listener.Stop()
            $server | Remove-Job -Force
        }
        $tree = Get-ImageTree add:1
        foreach ($dir in 'gz', 'bz2', 'xz', 'zst') {
            ($tree | Where-Object { $_ -like "$dir/inner/p.txt|*" }) | Should -Match '\|f\|644\|'
        }
        ($tree | Where-Object { $_ -like 'plain/plain.txt|*' }) | Should -Not -BeNullOrEmpty
        ($tree | Where-Object { $_ -like 'web/served.txt|*' }) | Should -Match "\|f\|600\|0:0\|\|1\|$hash$"
    }

    It 'reports a failing RUN as BuildStepFailed with its output, tags nothing and leaves nothing behind' {
        $context = New-Context 'failing' @{ 'Dockerfile' = "FROM busybox`nRUN echo about to fail && exit 3`n" }
        $err = $null
        $result = Build-Image $context -Tag failing:1 -Quiet -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BuildStepFailed*'
        $err[0].Exception.Message | Should -Match 'STEP 2/2: RUN echo about to fail && exit 3: the command exited with code 3'
        $err[0].Exception.Message | Should -Match 'about to fail'
        Get-Image failing:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-BuildLeftover | Should -BeNullOrEmpty
    }

    It 'refuses to read outside the context and names the line of a Dockerfile error' {
        $context = New-Context 'escape' @{ 'Dockerfile' = "FROM busybox`nCOPY ../outside /x`n" }
        $err = $null
        Build-Image $context -Quiet -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BuildContextEscape*'

        $bad = New-Context 'bad' @{ 'Dockerfile' = "FROM busybox`n`nFLY away`n" }
        Build-Image $bad -Quiet -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerfileParseError*'
        $err[0].Exception.Message | Should -BeLike 'Dockerfile:3: unknown instruction: FLY*'

        $missing = New-Context 'nobase' @{ 'Dockerfile' = "FROM 127.0.0.1:9/none/such:1`n" }
        Build-Image $missing -Quiet -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BaseImageNotFound*'
        Get-BuildLeftover | Should -BeNullOrEmpty
    }

    It 'removes what a killed build left behind on the next engine call' {
        $context = New-Context 'killed' @{ 'Dockerfile' = "FROM busybox`nRUN echo started && sleep 3137`n" }
        $child = Start-ChildPwsh -Script "Build-Image '$context' -Tag killed:1"
        try {
            Wait-Condition -TimeoutSeconds 60 -Message 'the RUN step to start' -Condition {
                (Test-Path $child.StdoutFile) -and ((Get-Content -Raw $child.StdoutFile) -match 'started')
            }
            Get-BuildLeftover | Should -Not -BeNullOrEmpty
        } finally {
            & kill -9 $child.Id
            $child.WaitForExit()
        }
        $null = Get-Image -ErrorAction Stop
        Wait-Condition -TimeoutSeconds 30 -Message 'the leftovers to go' -Condition { -not (Get-BuildLeftover) }
        $sleepers = Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$' | Where-Object {
            try { [IO.File]::ReadAllText("$($_.FullName)/cmdline").Replace([char]0, ' ') -match 'sleep 3137' } catch { $false }
        }
        $sleepers | Should -BeNullOrEmpty
        Remove-Item -LiteralPath $child.StdoutFile, $child.StderrFile -ErrorAction Ignore
    }

    It 'matches buildah bud --layers on the same context: flattened file tree and run config' {
        $buildah = Get-Command buildah -ErrorAction Stop
        $context = New-Context 'compare' @{
            'Dockerfile'        = @'
ARG BASE=busybox
FROM ${BASE}
ENV APP=/app MODE="prod mode"
WORKDIR /app
COPY files/ ./
COPY --chown=www:staff files/a.txt /data/owned.txt
COPY --chmod=755 run.sh /usr/local/bin/run.sh
RUN mkdir -p /var/lib/x && echo made > /var/lib/x/file && ln -s /var/lib/x/file /var/lib/x/link \
 && ln /var/lib/x/file /var/lib/x/hard && rm -rf /home && rm /bin/vi
USER www
EXPOSE 8080/tcp 53/udp
VOLUME /data
LABEL a=b
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/run.sh"]
CMD ["x"]
'@
            'files/a.txt'       = "alpha`n"
            'files/sub/b.txt'   = "beta`n"
            'run.sh'            = "#!/bin/sh`necho run `"`$@`"`n"
        }
        & ln -s a.txt (Join-Path $context 'files/link')
        Assert-SameAsBuildah $context 'compare:1'
    }

    It 'matches buildah bud --layers on <Name>' -ForEach @(
        @{ Key = 'copy'; Name = 'COPY and ADD: contents vs directory, slashes, symlinks, owners, modes, tars, .dockerignore'; Files = @{
            'Dockerfile'      = @'
ARG BASE=busybox
FROM ${BASE}
COPY dir /d1
COPY dir/ /d2/
COPY dir /d3/
COPY dir/* /d4/
COPY a.txt /f1
COPY a.txt dir/sub/b.txt /newdir/
COPY link /l1
COPY linkdir /l2/
COPY dir/sub /l2/
COPY --chown=1000:50 a.txt dir /owned/
COPY --chown=www:staff dir /owned2
COPY --chown=www a.txt /owned3/deep/
COPY --chown=nobody:www a.txt /owned4
COPY --chmod=700 dir /m1
COPY --chmod=600 a.txt /m2
ADD arch.tar /x1/
ADD arch.tar.gz /x2
ADD a.txt /x3/
ADD --chown=www arch.tar /x4
WORKDIR /rel
COPY a.txt ./
COPY dir sub/
'@
            '.dockerignore'   = "dir/secret*`n!dir/secret-ok`n*.md`n"
            'a.txt'           = "alpha`n"
            'notes.md'        = "ignored`n"
            'dir/c.txt'       = "gamma`n"
            'dir/secret-no'   = "hidden`n"
            'dir/secret-ok'   = "shown`n"
            'dir/sub/b.txt'   = "beta`n"
            'src/t/one.txt'   = "one`n"
            'src/t/deep/two'  = "two`n"
        }; Setup = {
            param($Dir)
            & ln -s a.txt (Join-Path $Dir 'link')
            & ln -s dir (Join-Path $Dir 'linkdir')
            & ln -s ../a.txt (Join-Path $Dir 'dir/up')
            & chmod 0750 (Join-Path $Dir 'dir/sub')
            & chmod 0600 (Join-Path $Dir 'dir/c.txt')
            & tar -C (Join-Path $Dir 'src') --owner=7 --group=8 -cf (Join-Path $Dir 'arch.tar') t
            & tar -C (Join-Path $Dir 'src') -czf (Join-Path $Dir 'arch.tar.gz') t
        }
        }
        @{ Key = 'vars'; Name = 'variables, ARG scoping across stages, SHELL, USER, ENTRYPOINT and the run config'; Files = @{
            'Dockerfile' = @'
ARG BASE=busybox
ARG V=1.0
ARG ONLY_GLOBAL=g
FROM ${BASE} AS first
ARG V
ARG LOCAL=l
ENV D=/data P=8080 EMPTY=
ENV LBL=${V:-none} UNSET=${NOPE:-fallback} PLUS=${D:+yes} NOPLUS=${NOPE:+no} GLOBAL=${ONLY_GLOBAL:-notseen}
WORKDIR ${D}/w
WORKDIR sub/../here
COPY a.txt ${D}/${NOPE:-dflt}/
COPY a.txt $D/plain.txt
USER ${U:-www}
EXPOSE ${P} ${Q:-9090}/udp 7000-7002
LABEL ver=${V} local=$LOCAL x=${NOPE:-y} "quoted key"="a b"
RUN echo "$V $D $LOCAL $ONLY_GLOBAL" > /tmp/v.txt
FROM ${BASE}
ARG V
ARG ONLY_GLOBAL
COPY --from=first /tmp/v.txt /v1
COPY --from=first /data /data2
RUN echo "V=$V LOCAL=$LOCAL G=$ONLY_GLOBAL" > /v2
CMD echo shell form
SHELL ["/bin/sh", "-ec"]
RUN echo "$0 $-" > /shell.txt
USER nobody
WORKDIR /nobody/home
RUN touch made && id > /tmp/id.txt
USER www
RUN id > /tmp/id-www.txt
USER 1000:50
VOLUME ["/vol/a", "/vol/b"]
VOLUME /vol/c
ENTRYPOINT ["/bin/echo", "hi"]
HEALTHCHECK --interval=5s --retries=2 CMD wget -q localhost || exit 1
STOPSIGNAL SIGTERM
'@
            'a.txt'      = "alpha`n"
        }; Setup = { }
        }
        @{ Key = 'layers'; Name = 'layers: whiteouts, opaque directories, hard links, an empty RUN, ENTRYPOINT resetting CMD'; Files = @{
            'Dockerfile' = @'
ARG BASE=busybox
FROM ${BASE}
RUN mkdir -p /o/sub /p && echo 1 > /o/sub/f && echo k > /o/keep && echo h > /h1 && ln /h1 /h2 && echo q > /p/q
RUN rm /bin/vi /h2 && rm -rf /o && mkdir -p /o/new && echo 2 > /o/new/g && ln /h1 /h3 && rm -rf /p
RUN true
RUN rm -rf /home && mkdir /home && chmod 700 /home && chown 1000:50 /home
RUN echo x > /tmp/a && ln /tmp/a /tmp/b && ln -s /tmp/a /tmp/s && mkfifo /tmp/fifo && chmod 4755 /bin/busybox
WORKDIR /never/touched
ENTRYPOINT ["/bin/true"]
'@
        }; Setup = { }
        }
        @{ Key = 'mounts'; Name = 'VOLUME then RUN, COPY --from of symlinks, RUN --mount, a numeric USER'; Files = @{
            'Dockerfile' = @'
ARG BASE=busybox
FROM ${BASE} AS src
RUN mkdir -p /out/d && echo s > /out/s && ln -s s /out/link && ln -s d /out/dlink
FROM ${BASE}
VOLUME /data
RUN mkdir -p /data/sub && echo x > /data/x && echo y > /kept
COPY --from=src /out/link /fromlink
COPY --from=src /out/dlink /fromdlink/
COPY --from=src /out /out2/
RUN --mount=type=bind,target=/mnt/ctx cat /mnt/ctx/a.txt > /copied
RUN --mount=type=cache,target=/var/cache/x echo c > /var/cache/x/c
RUN --mount=type=tmpfs,target=/scratch true
USER 4321:4321
WORKDIR /numeric
RUN touch f
'@
            'a.txt'      = "alpha`n"
        }; Setup = { }
        }
    ) {
        $context = New-Context "compare-$Key" $Files
        & $Setup $context
        Assert-SameAsBuildah $context "compare-$($Key):1"
    }
}

Describe 'ConvertTo-Image' {
    It 'turns a running container into an image with its writable layer on top' {
        $container = New-Container busybox -Name snap-source -Command sh, -c, 'echo snap > /snap.txt; rm /bin/vi; sleep 300' -ErrorAction Stop
        $container | Start-Container -ErrorAction Stop
        Wait-Condition -TimeoutSeconds 20 -Message 'the container to write its file' -Condition {
            (Invoke-ContainerCommand -Container snap-source -Command cat, /snap.txt -ErrorAction SilentlyContinue 2>$null) -eq 'snap'
        }
        $image = Get-Container snap-source | ConvertTo-Image -Tag snap:1 -Change 'CMD ["cat", "/snap.txt"]' -Message 'first snapshot' -Author tester -ErrorAction Stop
        Remove-Container -Name snap-source -Force
        $image.Name | Should -Be 'snap:1'
        $image.LayerCount | Should -Be ((Get-Image busybox).LayerCount + 1)
        (Invoke-Container snap:1 -ErrorAction Stop) | Should -Be 'snap'
        (Invoke-Container snap:1 -Command ls, /bin/vi -ErrorAction SilentlyContinue 2>$null) | Should -BeNullOrEmpty
        $top = @(Get-Image snap:1 | Get-ImageHistory)[0]
        $top.Comment | Should -Be 'first snapshot'
        $top.EmptyLayer | Should -BeFalse
    }
}
