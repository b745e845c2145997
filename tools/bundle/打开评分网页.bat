@echo off
rem Starts the scoring web page (score serve --open) and keeps this window as its off switch.
chcp 936 >nul
setlocal EnableExtensions
if not defined SCORE_HOME set "SCORE_HOME=%USERPROFILE%\score"
set "SCORE_EXE=%SCORE_HOME%\venv\Scripts\score.exe"
title 评分网页 - 关闭本窗口即停止
if exist "%SCORE_EXE%" goto run
echo 还没有安装评分程序：请先双击安装包中的“安装.bat”。
pause
exit /b 1

:run
echo 正在启动评分网页，浏览器会自动打开 http://127.0.0.1:8765/
echo 浏览器没有打开时，请自己打开浏览器，在地址栏输入上面的地址。
echo.
echo 使用网页期间请不要关闭本窗口。用完后关闭本窗口（或按 Ctrl+C）即停止评分网页。
echo 上传的文件只在本机处理，不会发到网上。
echo.
"%SCORE_EXE%" serve --open
echo.
echo 评分网页已停止。
pause
