"""Correct in another style: start both lookups as tasks, then await each task."""

import asyncio


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    user_task = asyncio.create_task(get_user(user_id))
    posts_task = asyncio.create_task(get_posts(user_id))
    return render_page(await user_task, await posts_task)
