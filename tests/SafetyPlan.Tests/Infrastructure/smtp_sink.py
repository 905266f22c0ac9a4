"""A real SMTP server on loopback for the tests: every message it accepts is written to a folder as one .eml file.

A test can make it refuse a recipient: the file `refusals` in the folder holds lines `<address> <reply>`, such as
`jan@example.org 550 5.1.1 <jan@example.org>: Recipient address rejected: User unknown`; it is read at every RCPT TO,
so a refusal starts and ends without restarting the server. A line `data:<address> <reply>` instead takes the address
and refuses the message at the end of DATA (a content or size policy), when it is addressed to that recipient.
"""
import argparse
import asyncio
import os
import uuid

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder

    def refusal(self, address):
        try:
            with open(os.path.join(self.folder, "refusals"), encoding="utf-8") as f:
                for line in f:
                    refused, _, reply = line.strip().partition(" ")
                    if refused.lower() == address.lower() and reply:
                        return reply
        except FileNotFoundError:
            pass
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refusal(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            reply = self.refusal("data:" + address)
            if reply is not None:
                return reply
        name = os.path.join(self.folder, f"{uuid.uuid4().hex}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".tmp", name)
        return "250 Message accepted for delivery"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    controller = Controller(SaveToFolder(args.folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
